from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from agreements import selectors, signing_selectors
        from agreements.services import signing  # noqa: F401  registers the signed and in-force checks and effects
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
        home.register(
            home.HomeSection(
                key="signatures",
                order=30,
                template="agreements/home/_signatures.html",
                selector=signing_selectors.home_signatures,
            )
        )
