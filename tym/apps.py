from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TymConfig(AppConfig):
    name = "tym"
    verbose_name = _("TYM agreements")
