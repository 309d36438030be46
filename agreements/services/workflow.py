"""The agreement's workflow: every status change goes through ``transition``.

The allowed moves are declared once, in ``Agreement.TRANSITIONS``; here each target status may have
preconditions (``PRECONDITIONS``: functions that return the message naming what is unmet, or None)
and effects (``EFFECTS``: what else changes with the status, such as freezing the text). A
transition runs under the agreement's row lock and writes a timeline entry; the audit triggers
record the row change with who made it.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements import kinds, permissions
from agreements.approvals import approved_steps
from agreements.canonical import text_sha256
from agreements.models import Agreement, ChangeProposal, Event, Party
from agreements.services.core import _event, _touch
from agreements.workflow_selectors import open_thread_count
from users.models import User

Precondition = Callable[[Agreement, dict], str | None]
# An effect may return a note for the timeline entry (such as how many discussions were open).
Effect = Callable[[Agreement, User | None, dict], str | None]

# target status -> checks made before moving there (each returns a message or None)
PRECONDITIONS: dict[str, list[Precondition]] = {}
# target status -> what else changes when moving there (runs under the lock, after the checks)
EFFECTS: dict[str, list[Effect]] = {}
# target status -> who may make the move; None: the system only (dates, the last signature)
MAY_MOVE: dict[str, Callable[[User, Agreement], bool] | None] = {
    **dict.fromkeys(Agreement.Status.values, permissions.can_run_workflow),
    # Out of approval: back to the drafters (a return, or the drafters withdrawing it) or, after the
    # last step's approval, frozen. The preconditions below hold what each needs.
    Agreement.Status.DRAFT: permissions.can_move,
    Agreement.Status.NEGOTIATED: permissions.can_move,
    # Made by the portal itself: when the last signature is recorded, and by the daily date task.
    Agreement.Status.SIGNED: None,
    Agreement.Status.IN_FORCE: None,
    Agreement.Status.EXPIRED: None,
    # An edition is superseded when a later one enters into force, or when a party's change
    # proposal is accepted while it is still being decided or signed: never by hand.
    Agreement.Status.SUPERSEDED: None,
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
    """The moves ``Agreement.TRANSITIONS`` allows from the agreement's status, for its kind: a kind
    approved before freezing is submitted (every edition of it) and never goes to consultation nor
    straight from draft to frozen; any other kind is never submitted."""
    moves = Agreement.TRANSITIONS.get(agreement.status, ())
    if kinds.of(agreement).is_approved_before_freezing:
        skipped = {S.CONSULTATION, S.NEGOTIATED} if agreement.status == S.DRAFT else {S.CONSULTATION}
    else:
        skipped = {S.SUBMITTED}
    return tuple(to for to in moves if to not in skipped)


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
    details = {"reason": "", **(details or {}), "before": agreement.status}
    return [message for check in PRECONDITIONS.get(to, ()) if (message := check(agreement, details))]


@transaction.atomic
def transition(*, agreement: Agreement, to: str, by: User | None, reason: str = "", **details) -> Agreement:
    """Moves ``agreement`` to status ``to``: the one way a status changes.

    ``by`` None is the system (the daily date task, the last signature). Raises PermissionDenied
    when ``by`` may not make the move, TransitionRefused naming the unmet precondition otherwise.
    ``details`` go to the preconditions and effects (a deadline, a confirmation), with the reason
    as ``details["reason"]``.
    """
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    may = MAY_MOVE.get(to)
    if by is not None and (may is None or not may(by, locked)):
        raise PermissionDenied
    details = {**details, "reason": reason.strip(), "before": locked.status}
    problems = unmet(locked, to, details)
    if problems:
        raise TransitionRefused(problems)
    before = locked.status
    locked.status = to
    notes = [note for change in EFFECTS.get(to, ()) if (note := change(locked, by, details))]
    locked.save()
    subject = f"{Agreement.Status(before).label} → {Agreement.Status(to).label}"
    if reason.strip():
        subject = f"{subject}: {reason.strip()}"
    if notes:
        subject = f"{subject} ({'; '.join(notes)})"
    _event(locked, Event.Kind.STATUS_CHANGED, by, subject)
    _touch(locked.pk)
    on_transition(locked, before, by)
    return locked


def on_transition(agreement: Agreement, before: str, by: User | None) -> None:
    """Hook after a move (inside the transaction): notifications are queued here, on commit."""
    for listener in LISTENERS:
        listener(agreement, before, by)


LISTENERS: list[Callable[[Agreement, str, User | None], None]] = []


# --- The moves' own rules -----------------------------------------------------------------------
# The signing helper's SIGNED and IN_FORCE checks and the decisions helper's entry rule (IN_DECISION
# → SIGNING) register themselves the same way, from their own modules.

S = Agreement.Status


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


@precondition(S.CONSULTATION)
def _deadline_given(agreement: Agreement, details: dict) -> str | None:
    deadline = _date(details.get("deadline"))
    if deadline is None:
        return _("Give the deadline for the parties' comments.")
    if deadline < timezone.localdate():
        return _("The deadline for comments cannot be in the past.")
    return None


@effect(S.CONSULTATION)
def _deadline_set(agreement: Agreement, by: User | None, details: dict) -> str:
    agreement.consultation_deadline = _date(details["deadline"])
    return _("comments by %(date)s") % {"date": f"{agreement.consultation_deadline:%-d.%-m.%Y}"}


@transaction.atomic
def consultation_deadline_change(*, agreement: Agreement, by: User, deadline: datetime.date) -> Agreement:
    """Moves the deadline for comments of a consultation that is running (not into the past)."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not permissions.can_run_workflow(by, locked):
        raise PermissionDenied
    if locked.status != S.CONSULTATION:
        raise ValidationError(_("Only an agreement in consultation has a deadline for comments."))
    problem = _deadline_given(locked, {"deadline": deadline})
    if problem:
        raise ValidationError({"deadline": problem})
    locked.consultation_deadline = deadline
    locked.save(update_fields=["consultation_deadline"])
    _event(locked, Event.Kind.DEADLINE_CHANGED, by, _("comments by %(date)s") % {"date": f"{deadline:%-d.%-m.%Y}"})
    _touch(locked.pk)
    return locked


@effect(S.DRAFT)
def _deadline_cleared(agreement: Agreement, by: User | None, details: dict) -> None:
    # Reopened for drafting: the consultation is over; a new one gets a deadline of its own.
    agreement.consultation_deadline = None


@precondition(S.SUBMITTED)
def _checks_met(agreement: Agreement, details: dict) -> str | None:
    """The kind's checks (statutory ones, where a law sets them) must all pass before submission."""
    failing = [check.problem for check in kinds.checks_of(agreement) if not check.ok]
    return " ".join(failing) or None


@effect(S.SUBMITTED)
def _submitted(agreement: Agreement, by: User | None, details: dict) -> None:
    # The approvals of this submission are those given with its number (``agreements.approvals``).
    agreement.submitted_at = timezone.now()
    agreement.submission += 1


@precondition(S.DRAFT)
def _return_explained(agreement: Agreement, details: dict) -> str | None:
    if details["before"] == S.SUBMITTED and not details["reason"]:
        return _("Say why the agreement goes back to its drafters.")
    return None


@precondition(S.NEGOTIATED)
def _every_step_approved(agreement: Agreement, details: dict) -> str | None:
    if details["before"] != S.SUBMITTED:
        return None
    approved = approved_steps(agreement)
    waiting = [str(step.label) for step in kinds.of(agreement).approval_steps if step.key not in approved]
    if waiting:
        return _("The text is frozen once every approval is given; still awaited: %(steps)s.") % {
            "steps": ", ".join(waiting)
        }
    return None


@precondition(S.NEGOTIATED)
def _first_edition_consulted(agreement: Agreement, details: dict) -> str | None:
    # (A kind approved before freezing never moves from draft to frozen: ``allowed_moves``.)
    if details["before"] != S.DRAFT or ChangeProposal.objects.filter(new_edition=agreement).exists():
        return None
    return _(
        "A first edition goes to consultation before its text is frozen. Only a new edition, "
        "made from a change proposal, is frozen straight from its draft."
    )


@precondition(S.NEGOTIATED)
def _open_threads_confirmed(agreement: Agreement, details: dict) -> str | None:
    count = open_thread_count(agreement)
    if count and not details.get("confirm_open_threads"):
        return ngettext(
            "%(count)s discussion is still open. Resolve it, or confirm that the text is frozen with it open.",
            "%(count)s discussions are still open. Resolve them, or confirm that the text is frozen with them open.",
            count,
        ) % {"count": count}
    return None


@effect(S.NEGOTIATED)
def _freeze(agreement: Agreement, by: User | None, details: dict) -> str | None:
    """Records the SHA-256 of the canonical text, who froze it and when; from now on the database
    refuses every change to the text (``agreements.frozen``)."""
    agreement.text_sha256 = text_sha256(agreement)
    agreement.frozen_at = timezone.now()
    agreement.frozen_by = by
    agreement.frozen_open_threads = open_thread_count(agreement)
    if agreement.frozen_open_threads:
        return ngettext(
            "frozen with %(count)s open discussion, confirmed",
            "frozen with %(count)s open discussions, confirmed",
            agreement.frozen_open_threads,
        ) % {"count": agreement.frozen_open_threads}
    return None


@precondition(S.IN_DECISION)
def _text_frozen(agreement: Agreement, details: dict) -> str | None:
    if not agreement.text_sha256:
        return _("The text has not been frozen.")
    return None


def _notice_party(agreement: Agreement, value) -> Party | None:
    pk = value.pk if isinstance(value, Party) else value
    try:
        return agreement.parties.filter(pk=int(pk)).first() if pk not in (None, "") else None
    except (TypeError, ValueError):
        return None


@precondition(S.TERMINATED)
def _notice_given(agreement: Agreement, details: dict) -> str | None:
    ended_on = _date(details.get("ended_on"))
    if ended_on is None:
        return _("Give the date the agreement ends.")
    if agreement.in_force_from and ended_on < agreement.in_force_from:
        return _("The agreement cannot end before it entered into force (%(date)s).") % {
            "date": f"{agreement.in_force_from:%-d.%-m.%Y}"
        }
    if _notice_party(agreement, details.get("termination_notice_by")) is None:
        return _("Choose the party that gave notice.")
    if not details["reason"]:
        return _("Give the reason for ending the agreement.")
    return None


@effect(S.TERMINATED)
def _terminate(agreement: Agreement, by: User | None, details: dict) -> None:
    agreement.ended_on = _date(details["ended_on"])
    agreement.termination_notice_by = _notice_party(agreement, details["termination_notice_by"])
    agreement.termination_reason = details["reason"]


@precondition(S.EXPIRED)
def _validity_over(agreement: Agreement, details: dict) -> str | None:
    if agreement.valid_until >= timezone.localdate():
        return _("The agreement is valid until %(date)s.") % {"date": f"{agreement.valid_until:%-d.%-m.%Y}"}
    return None


@effect(S.EXPIRED)
def _expire(agreement: Agreement, by: User | None, details: dict) -> None:
    agreement.ended_on = agreement.valid_until


def _later_editions(agreement: Agreement):
    return Agreement.objects.filter(series_id=agreement.series_id_or_own, edition__gt=agreement.edition)


@precondition(S.SUPERSEDED)
def _later_edition_exists(agreement: Agreement, details: dict) -> str | None:
    later = _later_editions(agreement)
    entering = details.get("entering_force")  # the later edition whose move into force this is
    if entering and later.filter(pk=entering).exists():
        return None
    if later.filter(status__in=(S.IN_FORCE, S.EXPIRED, S.TERMINATED)).exists():
        return None
    accepted = ChangeProposal.objects.filter(
        decision__party__agreement=agreement, status=ChangeProposal.Status.ACCEPTED, new_edition__in=later
    )
    if agreement.status in (S.IN_DECISION, S.SIGNING) and accepted.exists():
        return None
    return _(
        "An edition is superseded when a later edition enters into force, or when a party's change proposal "
        "is accepted while it is being decided or signed."
    )


@effect(S.SUPERSEDED)
def _supersede(agreement: Agreement, by: User | None, details: dict) -> None:
    if details["before"] == S.IN_FORCE:
        agreement.ended_on = timezone.localdate()


@effect(S.IN_FORCE)
def _earlier_editions_superseded(agreement: Agreement, by: User | None, details: dict) -> None:
    """A later edition in force supersedes every earlier edition of its series still standing."""
    standing = [s for s, moves in Agreement.TRANSITIONS.items() if S.SUPERSEDED in moves]
    series = agreement.series_id_or_own
    earlier = Agreement.objects.filter(
        Q(pk=series) | Q(series_id=series), edition__lt=agreement.edition, status__in=standing
    ).order_by("edition")
    for previous in earlier:
        transition(
            agreement=previous,
            to=S.SUPERSEDED,
            by=None,
            entering_force=agreement.pk,
            reason=_("edition %(edition)s entered into force") % {"edition": agreement.edition},
        )
