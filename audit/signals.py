"""Logins, logouts, failed logins and lockouts: events with no row of their own to trigger on."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils import timezone

from audit.context import client_address
from audit.models import AuditEntry


def _record(action: str, request, *, actor_id=None, actor: str = "", changes: dict | None = None) -> None:
    AuditEntry.objects.create(
        at=timezone.now(),
        action=action,
        table="users_user" if actor_id else "",
        object_id=str(actor_id or ""),
        actor_id=actor_id,
        actor=actor[:150],
        ip=client_address(request) if request is not None else "",
        source=f"{request.method} {request.path}"[:200] if request is not None else "",
        changes=changes or {},
    )


def _logged_in(sender, request, user, **kwargs) -> None:
    _record(AuditEntry.Action.LOGIN, request, actor_id=user.pk, actor=user.get_username())


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        _record(AuditEntry.Action.LOGOUT, request, actor_id=user.pk, actor=user.get_username())


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The username as typed; the password never (Django already masks it in ``credentials``).
    _record(AuditEntry.Action.LOGIN_FAILED, request, actor=str(credentials.get("username", "")))


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    _record(AuditEntry.Action.LOCKED_OUT, request, actor=str(username or ""))


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit-locked-out")
