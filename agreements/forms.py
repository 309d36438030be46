from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import COUNCIL_TERM, Agreement, Party, Theme
from regions.models import Municipality


class AgreementStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of agreement"), choices=Agreement.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language of the agreement"), choices=Agreement.Language.choices)
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
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
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For an interface agreement: the municipalities that are parties. A strategic agreement "
            "has every municipality of the county."
        ),
    )
    include_regional_council = forms.BooleanField(label=_("The regional council is a party"), required=False)
    valid_from = forms.DateField(
        label=_("Valid from"), initial=COUNCIL_TERM[0], widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        initial=COUNCIL_TERM[1],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("By default the council term 2025–2029."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end cannot be before the start."))
        return data


class SectionForm(forms.Form):
    text = forms.CharField(label=_("Text of the section"), required=False, widget=forms.Textarea(attrs={"rows": 16}))
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    resolves_conflict = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RestoreForm(forms.Form):
    number = forms.IntegerField(min_value=1)
    base_version = forms.IntegerField(min_value=0)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    party = forms.ModelChoiceField(label=_("On behalf of"), queryset=Party.objects.none(), required=False)

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["party"].queryset = parties


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["official_name", "business_id"]


class PartyAddForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
