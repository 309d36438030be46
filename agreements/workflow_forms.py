"""The forms of the workflow panel: one per move, with what that move needs; editions and change proposals."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from yhdyspinta.forms import DateField, Form, RadioList

S = Agreement.Status


class MoveForm(Form):
    """A move with only its reason (optional unless the move needs one)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=250,
        required=False,
        help_text=_("Shown on the agreement's timeline."),
    )

    def __init__(self, *args, agreement: Agreement, open_threads: int = 0, **kwargs):
        self.agreement = agreement
        super().__init__(*args, **kwargs)

    def details(self) -> dict:
        """The move's details for ``workflow.transition``."""
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


class ConsultationForm(MoveForm):
    deadline = DateField(
        label=_("Comments by"),
        help_text=_("The last day for the parties' comments, as d.m.yyyy. Every party is shown it."),
    )
    field_order = ["deadline", "reason"]


class DeadlineForm(Form):
    deadline = ConsultationForm.base_fields["deadline"]


class FreezeForm(MoveForm):
    confirm_open_threads = forms.BooleanField(label=_("Freeze the text with the open discussions"), required=False)

    def __init__(self, *args, open_threads: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if not open_threads:
            del self.fields["confirm_open_threads"]


class TerminationForm(MoveForm):
    ended_on = DateField(label=_("Ends on"), help_text=_("As d.m.yyyy."))
    termination_notice_by = forms.TypedChoiceField(label=_("Notice given by"), coerce=int)
    field_order = ["ended_on", "termination_notice_by", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].label = _("Reason for ending")
        self.fields["termination_notice_by"].choices = [
            ("", "–"),
            *((p.pk, p.official_name) for p in self.agreement.parties.all()),
        ]


FORMS: dict[str, type[MoveForm]] = {
    S.CONSULTATION: ConsultationForm,
    S.NEGOTIATED: FreezeForm,
    S.TERMINATED: TerminationForm,
}


def move_form(to: str, *args, **kwargs) -> MoveForm:
    return FORMS.get(to, MoveForm)(*args, **kwargs)


# What each move's button says; a move not named here says "Make it: <status>".
MOVE_LABELS = {
    S.CONSULTATION: _("Send to consultation"),
    S.SUBMITTED: _("Submit for approval"),
    S.DRAFT: _("Reopen for drafting"),
    S.NEGOTIATED: _("Freeze the text as negotiated"),
    S.IN_DECISION: _("Send to the parties' decisions"),
    S.TERMINATED: _("Record the termination"),
    S.SUPERSEDED: _("Record as superseded"),
}


def move_label(to: str) -> str:
    return str(MOVE_LABELS.get(to) or _("Make it: %(status)s") % {"status": S(to).label.lower()})


class EditionForm(Form):
    reason = forms.CharField(
        label=_("What changes"),
        max_length=250,
        help_text=_("Shown on the timeline of both editions."),
    )


class ChangeProposalForm(Form):
    ACCEPT, REJECT = "accept", "reject"
    resolve = forms.ChoiceField(
        label=_("Resolution"),
        choices=[
            (ACCEPT, _("Accept: start a new edition with the change, to be decided on again")),
            (REJECT, _("Reject the change")),
        ],
        widget=RadioList,
    )
    resolution = forms.CharField(
        label=_("Reasons"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when the change is rejected."),
    )
