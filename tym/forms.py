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
