from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from agreements import selectors, validity
        from agreements.services import notifications, workflow
        from yhdyspinta import home

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
                key="dates", order=30, template="agreements/home/_dates.html", selector=validity.home_dates
            )
        )
        if notifications.on_status_change not in workflow.LISTENERS:  # ready() may run twice in tests
            workflow.LISTENERS.append(notifications.on_status_change)
