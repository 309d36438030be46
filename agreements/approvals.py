"""Reads of the approval before freezing that some kinds of agreement go through (``kinds.ApprovalStep``).

The steps of the agreement's kind are taken in order after each submission: the current step is the
first without an approval given in this submission (``Approval.submission`` equal to the agreement's
``submission`` count, so the clocks of the processes that wrote them never matter). Each read is one
query.
"""

from agreements import kinds
from agreements.models import Agreement, Approval


def approved_steps(agreement: Agreement) -> set[str]:
    """The steps approved in the agreement's current submission (none when it is not submitted)."""
    if agreement.status != Agreement.Status.SUBMITTED:
        return set()
    return {a.step for a in Approval.objects.filter(agreement=agreement) if counts_now(a, agreement)}


def counts_now(approval: Approval, agreement: Agreement) -> bool:
    """Whether ``approval`` is an approval of the agreement's current submission."""
    return approval.outcome == Approval.Outcome.APPROVED and approval.submission == agreement.submission


def current_step(agreement: Agreement, approved: set[str] | None = None) -> kinds.ApprovalStep | None:
    """The step awaiting its approval while the agreement is submitted, or None; ``approved``: the
    steps approved in this submission, when the caller has read them."""
    if agreement.status != Agreement.Status.SUBMITTED:
        return None
    approved = approved_steps(agreement) if approved is None else approved
    return next((step for step in kinds.of(agreement).approval_steps if step.key not in approved), None)


def newest_of_submission(agreement: Agreement) -> Approval | None:
    """The approval or return given last in the agreement's current submission."""
    return Approval.objects.filter(agreement=agreement, submission=agreement.submission).order_by("-pk").first()


def history(agreement: Agreement) -> list[Approval]:
    """Every approval and return the agreement has had, oldest first, with who gave it."""
    return list(agreement.approvals.select_related("decided_by", "party", "thread__section"))
