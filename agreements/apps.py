from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from agreements import selectors
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
