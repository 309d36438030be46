from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from agreements import frozen, selectors, signing_selectors, validity
        from agreements.services import (
            notifications,
            signing,  # noqa: F401  registers the signed and in-force checks and effects
            workflow,
        )
        from yhdyspinta import home

        # The database refuses changes to a frozen text (agreements.frozen); the triggers are
        # (re)installed after every migrate, as the audit log's are.
        post_migrate.connect(frozen.install_after_migrate, sender=self, dispatch_uid="agreements-frozen")

        home.register(
            home.HomeSection(
                key="agreements",
                order=10,
                template="agreements/home/_agreements.html",
                selector=selectors.home_agreements,
            )
        )
        home.register(
            home.HomeSection(
                key="discussions",
                order=20,
                template="agreements/home/_discussions.html",
                selector=selectors.home_threads,
            )
        )
        # Each party's decision: the precondition for signing (registered on import) and what a
        # party's officials have to do next.
        from agreements import decisions

        home.register(
            home.HomeSection(
                key="decisions",
                order=30,
                template="agreements/decisions/home/_decisions.html",
                selector=decisions.home_decisions,
            )
        )
        # Notices and reminders (issue 10): what the user was told, and the coordinator's dates.
        home.register(
            home.HomeSection(
                key="notifications",
                order=25,
                template="agreements/home/_notifications.html",
                selector=notifications.home_notifications,
            )
        )
        home.register(
            home.HomeSection(
                key="signatures",
                order=35,
                template="agreements/home/_signatures.html",
                selector=signing_selectors.home_signatures,
            )
        )
        home.register(
            home.HomeSection(
                key="dates", order=28, template="agreements/home/_dates.html", selector=validity.home_dates
            )
        )
        # --- Approval before freezing: the queue of what awaits the user's approval ---
        from agreements import approval_selectors

        home.register(
            home.HomeSection(
                key="approvals",
                order=32,
                template="agreements/home/_approvals.html",
                selector=approval_selectors.home_approvals,
            )
        )
        # --- end of approval before freezing ---
        if notifications.on_status_change not in workflow.LISTENERS:  # ready() may run twice in tests
            workflow.LISTENERS.append(notifications.on_status_change)
