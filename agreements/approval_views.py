"""The approval before freezing on the agreement's page (``agreements.kinds``): the kind's checks
while the text is open, the steps of a submission with who approved them, the history of approvals
and returns, and the form with which the current step's approvers approve or return it.

The panel's part (``panel_context``) is rendered into the overview's cached body: what it shows of
the reader is ``can_approve`` and the checks' outcome, which the overview's cache key names. The
form posts to ``approval``: 404 for a reader who may not see the agreement, 403 for one who may see
it but is not the current step's approver (``permissions.can_approve``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agreements import approvals, kinds, permissions
from agreements.models import Agreement, Approval
from agreements.services.approvals import approval_record
from yhdyspinta.forms import Form

S = Agreement.Status
# The statuses in which a kind's checks are shown: while the text is open for its drafters or awaits approval.
CHECKED_STATUSES = frozenset({S.DRAFT, S.SUBMITTED})


class ApprovalForm(Form):
    """Approving (comments optional) or returning (comments required) at the current step; the
    outcome is the button pressed."""

    outcome = forms.ChoiceField(choices=Approval.Outcome.choices, widget=forms.HiddenInput)
    comments = forms.CharField(
        label=gettext_lazy("Comments"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Needed when you return the agreement: what the drafters should change. They answer in a "
            "discussion on the section you choose."
        ),
    )
    section_key = forms.ChoiceField(label=gettext_lazy("The comments concern the section"), required=False)

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        sections = agreement.sections.order_by("position").values_list("key", "title")
        self.fields["section_key"].choices = [(key, f"{key} {title}") for key, title in sections]


def checks_for(agreement: Agreement) -> list[kinds.Check]:
    """The kind's checks while the text is open (draft or submitted); none otherwise or for a kind
    without checks. Read on every view of the page (they may depend on more than the agreement's
    own rows), and named in the overview's cache key."""
    if agreement.status not in CHECKED_STATUSES:
        return []
    return kinds.checks_of(agreement)


def checks_key(checks: list[kinds.Check]) -> tuple:
    return tuple((check.key, str(check.problem) if check.problem else None) for check in checks)


def panel_context(agreement: Agreement, *, can_approve: bool, checks: list[kinds.Check]) -> dict:
    """What the workflow panel shows of the approval: the checks, the steps while submitted (each
    approved by whom and when, or awaited), the history, and the form for ``can_approve``."""
    kind = kinds.of(agreement)
    if not kind.is_approved_before_freezing and not checks:
        return {"shown": False}
    history = approvals.history(agreement)
    labels = {step.key: step.label for step in kind.approval_steps}
    for entry in history:
        entry.step_label = labels.get(entry.step, entry.step)
    steps = []
    if agreement.status == S.SUBMITTED:
        given = {a.step: a for a in history if approvals.counts_now(a, agreement)}
        current = approvals.current_step(agreement, approved=set(given))
        steps = [
            {"step": step, "approval": given.get(step.key), "current": current is not None and step.key == current.key}
            for step in kind.approval_steps
        ]
    return {
        "shown": True,
        "checks": checks,
        "checks_failing": any(not check.ok for check in checks),
        "steps": steps,
        "history": history[::-1],  # newest first
        "form": ApprovalForm(agreement=agreement, prefix="approval") if can_approve else None,
    }


@require_http_methods(["GET", "POST"])
def approval(request: HttpRequest, pk: int) -> HttpResponse:
    """The current step's approval or return: the panel's form posts here; its errors come back on
    a page of their own, next to their fields."""
    agreement = permissions.get_agreement_for_user(request.user, pk)
    if not permissions.can_approve(request.user, agreement):
        raise PermissionDenied
    step = approvals.current_step(agreement)
    form = ApprovalForm(request.POST if request.method == "POST" else None, agreement=agreement, prefix="approval")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            approval_record(
                agreement=agreement,
                outcome=data["outcome"],
                by=request.user,
                comments=data["comments"],
                section_key=data["section_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # a dict of errors goes next to its field
        else:
            if data["outcome"] == Approval.Outcome.RETURNED:
                messages.success(request, _("The agreement was returned to its drafters with your comments."))
            else:
                messages.success(request, _("Your approval was recorded."))
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/approval.html",
        {"agreement": agreement, "step": step, "form": form},
        status=400 if request.method == "POST" else 200,
    )
