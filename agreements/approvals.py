"""Reads of the approval before freezing that some kinds of agreement go through (``kinds.ApprovalStep``).

The steps of the agreement's kind are taken in order after each submission: the current step is the
first without an approval given since ``Agreement.submitted_at``. Each read is one query.
"""

from agreements import kinds
from agreements.models import Agreement, Approval


def approved_steps(agreement: Agreement) -> set[str]:
    """The steps approved in the agreement's current submission (none when it is not submitted)."""
    if agreement.status != Agreement.Status.SUBMITTED or agreement.submitted_at is None:
        return set()
    return set(
        Approval.objects.filter(
            agreement=agreement, outcome=Approval.Outcome.APPROVED, decided_at__gte=agreement.submitted_at
        ).values_list("step", flat=True)
    )


def current_step(agreement: Agreement, approved: set[str] | None = None) -> kinds.ApprovalStep | None:
    """The step awaiting its approval while the agreement is submitted, or None."""
    if agreement.status != Agreement.Status.SUBMITTED:
        return None
    approved = approved_steps(agreement) if approved is None else approved
    return next((step for step in kinds.of(agreement).approval_steps if step.key not in approved), None)


def history(agreement: Agreement) -> list[Approval]:
    """Every approval and return the agreement has had, oldest first, with who gave it."""
    return list(agreement.approvals.select_related("decided_by", "party", "thread__section"))
