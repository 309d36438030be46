"""The approval before freezing that some kinds of agreement go through (``agreements.kinds``).

The drafters submit (``workflow.transition`` to *submitted*, which runs the kind's checks); then
each step's approvers, in the kind's order, approve or return it. A return needs comments: they
are kept on the ``Approval`` and open a discussion on the section the approver names, where the
drafters answer them, and the agreement goes back to draft. The last step's approval freezes the
text (*negotiated*), and decisions and signing follow as for every agreement.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements import approvals, permissions
from agreements.models import Agreement, Approval, Comment, Event
from agreements.services import notifications, workflow
from agreements.services.core import _event
from users.models import User


@transaction.atomic
def approval_record(
    *, agreement: Agreement, outcome: str, by: User, comments: str = "", section_key: str = ""
) -> Approval:
    """Records ``by``'s approval (or return, with ``comments``) at the agreement's current step."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    step = approvals.current_step(locked)
    party = permissions.approval_party(by, locked, step)
    if party is None:
        raise PermissionDenied
    comments = comments.strip()
    if outcome not in Approval.Outcome.values:
        raise ValidationError({"outcome": _("Choose whether you approve the agreement or return it.")})
    thread = None
    if outcome == Approval.Outcome.RETURNED:
        if not comments:
            raise ValidationError({"comments": _("Write what the drafters should change.")})
        sections = locked.sections.order_by("position")
        section = sections.filter(key=section_key).first() if section_key else sections.first()
        if section is None:
            raise ValidationError({"section_key": _("Choose a section of this agreement.")})
        thread = Comment.objects.create(section=section, author=by, party=party, text=comments)
    approval = Approval.objects.create(
        agreement=locked,
        step=step.key,
        submission=locked.submission,
        party=party,
        outcome=outcome,
        comments=comments,
        thread=thread,
        decided_by=by,
    )
    if outcome == Approval.Outcome.RETURNED:
        _event(locked, Event.Kind.APPROVAL_RETURNED, by, f"{step.label}: {party.official_name}")
        workflow.transition(agreement=locked, to=Agreement.Status.DRAFT, by=by, reason=comments)
        return approval
    _event(locked, Event.Kind.APPROVAL_GIVEN, by, f"{step.label}: {party.official_name}")
    if approvals.current_step(locked) is not None:
        # The next step's approvers are told it is their turn (the submission told the first's).
        notifications.approval_awaited(locked, by)
    else:
        # The approvers saw the discussions that are open; the freeze records how many there were.
        workflow.transition(agreement=locked, to=Agreement.Status.NEGOTIATED, by=by, confirm_open_threads=True)
    return approval
