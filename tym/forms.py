from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import EmploymentArea, Organisation
from tym.models import GroupMember, SteeringGroup
from users.models import User
from yhdyspinta.forms import CheckboxList, DateField, Form, WholeNumberField


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

    def __init__(self, *args, group: SteeringGroup, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [group.county_id, *(a.pk for a in group.employment_areas.all())]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids) | Organisation.objects.filter(
            kind=Organisation.Kind.KELA
        )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No portal user has this user name."))
        return user
