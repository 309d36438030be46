"""Logins, logouts, failed logins and lockouts: events with no row of their own to trigger on."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from audit.models import AuditEntry
from audit.services import audit_event_record


def _logged_in(sender, request, user, **kwargs) -> None:
    audit_event_record(action=AuditEntry.Action.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_event_record(action=AuditEntry.Action.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The username as typed; the password never (Django already masks it in ``credentials``).
    audit_event_record(
        action=AuditEntry.Action.LOGIN_FAILED, request=request, actor=str(credentials.get("username", ""))
    )


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_event_record(action=AuditEntry.Action.LOCKED_OUT, request=request, actor=str(username or ""))


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit-locked-out")
