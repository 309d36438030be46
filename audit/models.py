"""The audit log: one append-only table written by database triggers and by the login signals.

The table is created by this app's migration, not by Django (``managed = False``), so that Django's
test flush and ``flush`` command never empty it; triggers refuse UPDATE, DELETE and TRUNCATE.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        INSERT = "insert", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logged out")
        LOCKED_OUT = "locked_out", _("locked out")
        TWO_FACTOR_VERIFIED = "2fa_verified", _("entered a valid two-factor code")
        TWO_FACTOR_FAILED = "2fa_failed", _("entered a wrong two-factor code")
        RESTORED = "restored", _("restored from a backup")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    table = models.CharField(_("table"), max_length=100, db_column="table_name", blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    # Plain numbers, not foreign keys: an entry outlives the agreement or user it names.
    agreement_id = models.BigIntegerField(_("agreement"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    actor = models.CharField(_("user"), max_length=150, blank=True)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        managed = False
        db_table = "audit_entry"
        ordering = ["-id"]
        default_permissions = ("view",)
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.table} {self.object_id}"
