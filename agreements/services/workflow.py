"""The agreement's workflow: every status change goes through ``transition``.

The allowed moves are declared once, in ``Agreement.TRANSITIONS``; here each target status may have
preconditions (``PRECONDITIONS``: functions that return the message naming what is unmet, or None)
and effects (``EFFECTS``: what else changes with the status, such as freezing the text). A
transition runs under the agreement's row lock and writes a timeline entry; the audit triggers
record the row change with who made it.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements import permissions
from agreements.models import Agreement, Event
from agreements.services.core import _event, _touch
from users.models import User

Precondition = Callable[[Agreement, dict], str | None]
Effect = Callable[[Agreement, User | None, dict], None]

# target status -> checks made before moving there (each returns a message or None)
PRECONDITIONS: dict[str, list[Precondition]] = {}
# target status -> what else changes when moving there (runs under the lock, after the checks)
EFFECTS: dict[str, list[Effect]] = {}
# target status -> who may make the move; None: the system only (dates, the last signature)
MAY_MOVE: dict[str, Callable[[User, Agreement], bool] | None] = {
    **dict.fromkeys(Agreement.Status.values, permissions.can_run_workflow),
    # Made by the portal itself: when the last signature is recorded, and by the daily date task.
    Agreement.Status.SIGNED: None,
    Agreement.Status.IN_FORCE: None,
    Agreement.Status.EXPIRED: None,
}


def precondition(*targets: str):
    """Registers a check made before moving to any of ``targets``."""

    def register(check: Precondition) -> Precondition:
        for target in targets:
            PRECONDITIONS.setdefault(target, []).append(check)
        return check

    return register


def effect(*targets: str):
    """Registers what else changes when moving to any of ``targets``."""

    def register(change: Effect) -> Effect:
        for target in targets:
            EFFECTS.setdefault(target, []).append(change)
        return change

    return register


class TransitionRefused(ValidationError):
    """The move is not allowed now; the message names the unmet precondition."""


def allowed_moves(agreement: Agreement) -> tuple[str, ...]:
    return Agreement.TRANSITIONS.get(agreement.status, ())


def unmet(agreement: Agreement, to: str, details: dict | None = None) -> list[str]:
    """The messages of the preconditions of moving ``agreement`` to ``to`` that are not met."""
    if to not in allowed_moves(agreement):
        return [
            _("An agreement that is %(current)s cannot become %(target)s.")
            % {
                "current": Agreement.Status(agreement.status).label.lower(),
                "target": Agreement.Status(to).label.lower(),
            }
        ]
    details = details or {}
    return [message for check in PRECONDITIONS.get(to, ()) if (message := check(agreement, details))]


@transaction.atomic
def transition(*, agreement: Agreement, to: str, by: User | None, reason: str = "", **details) -> Agreement:
    """Moves ``agreement`` to status ``to``: the one way a status changes.

    ``by`` None is the system (the daily date task, the last signature). Raises PermissionDenied
    when ``by`` may not make the move, TransitionRefused naming the unmet precondition otherwise.
    ``details`` go to the preconditions and effects (a deadline, a confirmation).
    """
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    may = MAY_MOVE.get(to)
    if by is not None and (may is None or not may(by, locked)):
        raise PermissionDenied
    problems = unmet(locked, to, details)
    if problems:
        raise TransitionRefused(problems)
    before = locked.status
    locked.status = to
    for change in EFFECTS.get(to, ()):
        change(locked, by, details)
    locked.save()
    subject = f"{Agreement.Status(before).label} → {Agreement.Status(to).label}"
    if reason.strip():
        subject = f"{subject}: {reason.strip()}"
    _event(locked, Event.Kind.STATUS_CHANGED, by, subject)
    _touch(locked.pk)
    on_transition(locked, before, by)
    return locked


def on_transition(agreement: Agreement, before: str, by: User | None) -> None:
    """Hook after a move (inside the transaction): notifications are queued here, on commit."""
    for listener in LISTENERS:
        listener(agreement, before, by)


LISTENERS: list[Callable[[Agreement, str, User | None], None]] = []
