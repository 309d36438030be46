from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agreements.models import COUNCIL_TERM, Agreement, Forum, Goal, Indicator, Measure, Party, Theme
from regions.models import Municipality
from yhdyspinta.forms import CheckboxList, DateField, Form, ModelForm, RadioList, WholeNumberField


class AgreementStartForm(Form):
    kind = forms.ChoiceField(label=_("Kind of agreement"), choices=Agreement.Kind.choices, widget=RadioList)
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the agreement"), choices=Agreement.Language.choices)
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=Theme.choices, required=False, widget=CheckboxList)
    main_theme = forms.ChoiceField(
        label=_("Main theme"),
        choices=[("", "–"), *Theme.choices],
        required=False,
        help_text=_("Needed for an interface agreement."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=CheckboxList,
        help_text=_(
            "For an interface agreement: the municipalities that are parties. A strategic agreement "
            "has every municipality of the county."
        ),
    )
    include_regional_council = forms.BooleanField(label=_("The regional council is a party"), required=False)
    valid_from = DateField(
        label=_("Valid from"), initial=COUNCIL_TERM[0], help_text=_("As d.m.yyyy, for example 1.6.2025.")
    )
    valid_until = DateField(
        label=_("Valid until"), initial=COUNCIL_TERM[1], help_text=_("By default the council term 2025–2029.")
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end cannot be before the start."))
        return data


class SectionForm(Form):
    text = forms.CharField(label=_("Text of the section"), required=False, widget=forms.Textarea(attrs={"rows": 16}))
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    resolves_conflict = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RestoreForm(Form):
    number = forms.IntegerField(min_value=1)
    base_version = forms.IntegerField(min_value=0)


class CommentForm(Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    party = forms.ModelChoiceField(label=_("On behalf of"), queryset=Party.objects.none(), required=False)

    def __init__(self, *args, parties=None, party_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["party"].queryset = parties
        if party_choices is not None:
            self.fields["party"].choices = [("", "–"), *party_choices]


class PartyForm(ModelForm):
    class Meta:
        model = Party
        fields = ["official_name", "business_id"]


class LongSelect(forms.Select):
    """A select of hundreds of options, written in one pass. Django renders each option through two
    template includes: for the three hundred organisations a party is chosen from, that cost more
    than all the rest of the parties page. The markup is the same; every value is escaped."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f"<select{_attrs({'name': widget['name'], **widget['attrs']})}>"]
        for label, group, _index in widget["optgroups"]:
            if label:
                parts.append(f'<optgroup label="{escape(label)}">')
            parts.extend(
                f"<option{_attrs({'value': o['value'], **o['attrs']})}>{escape(o['label'])}</option>" for o in group
            )
            if label:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts only


def _attrs(attrs: dict) -> str:
    """Attributes in order, as Django's widgets/attrs.html writes them: True bare, False left out."""
    return "".join(f" {k}" if v is True else f' {k}="{escape(v)}"' for k, v in attrs.items() if v is not False)


class PartyAddForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, widget=LongSelect)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PartyChoicesMixin:
    """Party fields render from one list fetched per page, not one query per form."""

    party_fields: tuple[str, ...] = ()

    def __init__(self, *args, parties, party_choices, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.party_fields:
            field = self.fields[name]
            field.queryset = parties
            blank = [] if isinstance(field, forms.ModelMultipleChoiceField) else [("", "–")]
            field.choices = blank + party_choices


class GoalForm(PartyChoicesMixin, ModelForm):
    party_fields = ("responsible_parties",)

    class Meta:
        model = Goal
        fields = ["title", "theme", "description", "responsible_parties"]
        widgets = {
            "responsible_parties": CheckboxList,
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class MeasureForm(PartyChoicesMixin, ModelForm):
    party_fields = ("lead_party", "co_parties")

    class Meta:
        model = Measure
        fields = ["description", "lead_party", "co_parties", "schedule"]
        widgets = {"co_parties": CheckboxList, "description": forms.Textarea(attrs={"rows": 2})}


class IndicatorForm(ModelForm):
    class Meta:
        model = Indicator
        fields = list(Indicator.EDITABLE_FIELDS)


class ForumForm(PartyChoicesMixin, ModelForm):
    party_fields = ("chair",)

    class Meta:
        model = Forum
        fields = ["name", "level", "chair", "meeting_frequency"]

    def __init__(self, *args, seats=None, **kwargs):
        super().__init__(*args, **kwargs)
        seats = seats or {}
        self.seat_fields = []
        for value, label in kwargs["party_choices"]:
            name = f"seats_{value}"
            self.fields[name] = WholeNumberField(
                label=label, min_value=0, max_value=99, required=False, initial=seats.get(value, 0)
            )
            self.seat_fields.append(name)

    def seats_by_party(self) -> dict:
        parties = {p.pk: p for p in self.fields["chair"].queryset}
        return {parties[int(n.removeprefix("seats_"))]: self.cleaned_data.get(n) or 0 for n in self.seat_fields}


class AnnexForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class AgreementTermsForm(ModelForm):
    """Section 5's terms: entry into force, validity, notice and review, while the text is open."""

    valid_from = DateField(label=_("Valid from"), help_text=_("As d.m.yyyy, for example 1.6.2025."))
    valid_until = DateField(label=_("Valid until"))
    review_due = DateField(
        label=_("Review due"), required=False, help_text=_("When the parties review the agreement at the latest.")
    )

    class Meta:
        model = Agreement
        fields = ["entry_rule", "entry_quorum", "valid_from", "valid_until", "notice_months", "review_due"]
        widgets = {"entry_rule": RadioList}
