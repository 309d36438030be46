from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TymConfig(AppConfig):
    name = "tym"
    verbose_name = _("TYM agreements")

    def ready(self):
        from tym import selectors
        from yhdyspinta import home

        home.register(
            home.HomeSection(
                key="tym-groups",
                order=50,
                template="tym/home/_groups.html",
                selector=selectors.home_counties,
            )
        )
