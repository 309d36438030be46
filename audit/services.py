"""Audit entries written by the application: events that are no row change of their own."""

from django.http import HttpRequest
from django.utils import timezone

from audit.context import client_address, process_source
from audit.models import AuditEntry


def audit_event_record(
    *, action: str, request: HttpRequest | None = None, user=None, actor: str = "", changes: dict | None = None
) -> AuditEntry:
    """Append an event (a login, a wrong code, a restore) with who, when and from where."""
    actor_id = user.pk if user is not None else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        action=action,
        table="users_user" if actor_id else "",
        object_id=str(actor_id or ""),
        actor_id=actor_id,
        actor=(user.get_username() if user is not None else actor)[:150],
        ip=client_address(request) if request is not None else "",
        source=(f"{request.method} {request.path}" if request is not None else process_source())[:200],
        changes=changes or {},
    )
