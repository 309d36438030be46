from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import EmploymentArea, Organisation
from tym.models import GroupMember
from users.models import User
from yhdyspinta.forms import CheckboxList, DateField, Form, RadioList, WholeNumberField


class NegotiationForm(Form):
    held_on = DateField(label=_("Held on"))
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}))
    group_count = WholeNumberField(label=_("Number of groups agreed"), min_value=1)


class SteeringGroupForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    employment_areas = forms.ModelMultipleChoiceField(
        label=_("Employment areas"), queryset=EmploymentArea.objects.none(), widget=CheckboxList
    )
    lead_authority = forms.ModelChoiceField(
        label=_("Lead employment authority"),
        queryset=EmploymentArea.objects.none(),
        required=False,
        help_text=_("When the group covers several areas: the authority they agreed sets it up and names the chair."),
    )
    term_start = DateField(label=_("Term starts"), help_text=_("The term is five years."))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employment_areas"].queryset = areas
        self.fields["lead_authority"].queryset = areas


class MemberForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organisation represented"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=GroupMember.Role.choices)
    person_name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200)
    username = forms.CharField(
        label=_("Portal user name"),
        max_length=150,
        required=False,
        help_text=_("If the person uses the portal; leave empty otherwise."),
    )
    deputy_name = forms.CharField(label=_("Personal deputy's name"), max_length=200, required=False)
    deputy_title = forms.CharField(label=_("Personal deputy's title"), max_length=200, required=False)
    valid_from = DateField(label=_("From"))
    valid_until = DateField(label=_("Until"), required=False, help_text=_("Empty: until the end of the term."))

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        """``organisations``: those whose members the user may name (``tym.permissions``)."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No portal user has this user name."))
        return user


# --- Yearly goals and staffing reviews -----------------------------------------------------------


class GoalForm(Form):
    year = WholeNumberField(label=_("Year"), min_value=2000, max_value=2100)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    national_goal = forms.CharField(
        label=_("National employment goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the goal serves the national employment goals (380/2023 §21), if it does."),
    )


class StaffingReviewForm(Form):
    year = WholeNumberField(label=_("Year reviewed"), min_value=2000, max_value=2100)
    reviewed_on = DateField(label=_("Reviewed on"))
    sufficient = forms.TypedChoiceField(
        label=_("Is the staffing sufficient?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=RadioList,
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(
        label=_("Actions taken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is done, and whether the TYM agreement needs amending."),
    )


# --- Editing a TYM agreement's terms (tym.agreement_views) ---------------------------------------
# Numbers are typed the Finnish way ("3,5" FTE, "12 000,50" €); the rules are the services' own
# (tym.terms), which refuse a broken one keyed by these forms' field names.

from tym.models import CostItem, ServiceLocation, StaffRow, TymAgreement  # noqa: E402
from yhdyspinta.forms import DecimalField, ModelForm, RadioList  # noqa: E402


class TermsForm(ModelForm):
    """A model form that reads and converts what was typed, and leaves the rules to the service.

    The services of ``tym.terms`` refuse a broken rule keyed by the field it belongs to, so the
    message stands next to it; the model's constraints are the database's last word, and their
    generic messages would stand apart from the field. Nor is the instance written to: the service
    writes what it accepts.
    """

    def _post_clean(self):
        pass


class ServiceLocationForm(TermsForm):
    channels = forms.MultipleChoiceField(
        label=_("Ways of service"), choices=ServiceLocation.Channel.choices, required=False, widget=CheckboxList
    )

    class Meta:
        model = ServiceLocation
        fields = ["name", "address", "municipality", "channels"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].label_from_instance = lambda m: m.name


class ServiceTermsForm(TermsForm):
    class Meta:
        model = TymAgreement
        fields = ["client_criteria", "client_process"]
        widgets = {
            "client_criteria": forms.Textarea(attrs={"rows": 3}),
            "client_process": forms.Textarea(attrs={"rows": 5}),
        }


class StaffBasisForm(TermsForm):
    class Meta:
        model = TymAgreement
        fields = ["staff_basis", "expected_clients"]
        widgets = {"staff_basis": RadioList}


class StaffRowForm(TermsForm):
    class Meta:
        model = StaffRow
        fields = ["party", "title", "amount", "location", "tasks"]
        widgets = {"tasks": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"amount": _("FTE or persons, as the agreement counts them; for example 2,5.")}

    def __init__(self, *args, parties, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["party"].label_from_instance = lambda p: p.official_name
        self.fields["location"].queryset = locations


class StaffingReviewTermsForm(TermsForm):
    class Meta:
        model = TymAgreement
        fields = ["staffing_review"]
        widgets = {"staffing_review": forms.Textarea(attrs={"rows": 6})}


class CostItemForm(TermsForm):
    class Meta:
        model = CostItem
        fields = ["name", "annual_amount"]
        help_texts = {"annual_amount": _("In euros, for example 12 000,50.")}


class CostKeyForm(TermsForm):
    """The key of the joint costs, with a percent field for each employment authority of the agreement."""

    class Meta:
        model = TymAgreement
        fields = [
            "cost_key",
            "cost_key_name",
            "cost_key_basis",
            "county_percent",
            "authority_split",
            "authority_split_basis",
        ]
        widgets = {
            "cost_key": RadioList,
            "authority_split": RadioList,
            "cost_key_basis": forms.Textarea(attrs={"rows": 3}),
            "authority_split_basis": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, authorities, shares, **kwargs):
        super().__init__(*args, **kwargs)
        self.authorities = list(authorities)
        self.share_fields = []
        # With one employment authority there is nothing to split among them.
        for party in self.authorities if len(self.authorities) > 1 else ():
            name = f"share_{party.pk}"
            self.fields[name] = DecimalField(
                label=_("Share of %(name)s (%%)") % {"name": party.official_name},
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=shares.get(party.pk),
                help_text=_("With agreed percentages: of the employment authorities' share."),
            )
            self.share_fields.append(name)

    def shares_by_party(self) -> dict:
        parties = {p.pk: p for p in self.authorities}
        return {parties[int(n.removeprefix("share_"))]: self.cleaned_data.get(n) for n in self.share_fields}


class KelaParticipationForm(TermsForm):
    class Meta:
        model = TymAgreement
        fields = ["kela_participation", "kela_contribution", "kela_terms"]
        widgets = {"kela_participation": RadioList, "kela_terms": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kela_participation"]
        field.required = True
        field.choices = [c for c in TymAgreement.KelaParticipation.choices if c[0]]
