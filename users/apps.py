from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from users import selectors
        from yhdyspinta import home

        home.register(
            home.HomeSection(
                key="administration",
                order=90,
                template="users/home/_administration.html",
                selector=selectors.home_administration,
            )
        )
