"""Finnish and Swedish names for the third-party apps the admin shows (axes, django-otp's TOTP).

Their app configurations are subclassed here only to give them a translated ``verbose_name``; the
label stays the same, so their tables and migrations are untouched. Axes marks its texts for
translation but ships no Finnish or Swedish: the ones the admin shows are listed in ``MESSAGES`` so
that our catalogue (``locale/``, searched before the apps' own) translates them. django-otp's TOTP
device names itself in a plain string, so its names are set here.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login protection")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-factor authentication")

    def ready(self) -> None:
        super().ready()
        # Only the display names: ``original_attrs``, which migrations read, keeps django-otp's own.
        device = self.get_model("TOTPDevice")
        device._meta.verbose_name = _("authenticator app")
        device._meta.verbose_name_plural = _("authenticator apps")


# Axes' own msgids (case and all), as its models and admin mark them.
MESSAGES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
)
