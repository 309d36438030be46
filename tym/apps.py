from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TymConfig(AppConfig):
    name = "tym"
    verbose_name = _("TYM agreements")

    def ready(self):
        from agreements import kinds
        from tym import selectors
        from tym.kind import TYM
        from yhdyspinta import home

        # The TYM agreement is a kind of agreement (tym.kind): its template, parts, checks and approvals.
        kinds.register(TYM)

        home.register(
            home.HomeSection(
                key="tym-groups",
                order=50,
                template="tym/home/_groups.html",
                selector=selectors.home_counties,
            )
        )
