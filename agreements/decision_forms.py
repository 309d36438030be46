"""Forms for a party's decision, its appeal and the appeal's outcome (views in ``decision_views``)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agreements.models import Decision
from agreements.services.decisions import DECISION_FIELDS
from yhdyspinta.forms import DateField, Form, ModelForm, RadioList


class DecisionForm(ModelForm):
    changes = forms.CharField(
        label=_("Changes asked for"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("With the outcome “approved with changes”: the changes, as the decision states them."),
    )
    remove_minutes_file = forms.BooleanField(label=_("Remove the uploaded minutes"), required=False)

    class Meta:
        model = Decision
        fields = [*DECISION_FIELDS, "minutes_file"]
        field_classes = {"proposal_date": DateField, "decided_on": DateField, "minutes_published_on": DateField}
        widgets = {
            "outcome": RadioList,
            "minutes_file": forms.FileInput(attrs={"accept": "application/pdf"}),
        }
        help_texts = {
            "diary_number": _("As your organisation writes it."),
            "decided_on": _("As d.m.yyyy, for example 14.3.2026."),
            "minutes_published_on": _(
                "The appeal period runs from this date: the decision counts as notified on the 7th day after it."
            ),
        }

    minutes_url = forms.URLField(
        label=capfirst(Decision._meta.get_field("minutes_url").verbose_name),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A link to the minutes online, or upload them as a PDF below."),
    )

    def __init__(self, *args, bodies: tuple[str, ...] = (), **kwargs):
        """``bodies``: the bodies that decide this kind of agreement (``kinds.AgreementKind``); empty: any."""
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Decision.Outcome.choices
        if bodies:
            self.fields["body"].choices = [("", "---------"), *((b, Decision.Body(b).label) for b in bodies)]
        if not (self.instance.pk and self.instance.minutes_file):
            del self.fields["remove_minutes_file"]
        for name in ("body_name", "proposal_body", "proposal_date", "proposal_section"):
            self.fields[name].required = False

    def _post_clean(self):
        # The service validates the decision with its party; the form only parses what was typed.
        pass


class AppealForm(Form):
    court = forms.CharField(
        label=_("Court"),
        max_length=200,
        help_text=_("For example Hämeenlinnan hallinto-oikeus, or the body a rectification request went to."),
    )
    filed_on = DateField(label=_("Appeal filed on"), help_text=_("As d.m.yyyy."))


class AppealOutcomeForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the appeal"),
        choices=[(value, label) for value, label in Decision.AppealOutcome.choices if value],
        widget=RadioList,
    )
    decided_on = DateField(label=_("Decided on"), help_text=_("As d.m.yyyy."))
