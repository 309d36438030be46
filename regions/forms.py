from django import forms
from django.utils.translation import gettext_lazy as _

from yhdyspinta.forms import Form


class DayForm(Form):
    """Chooses the day whose composition the region pages show."""

    on = forms.DateField(
        label=_("Composition on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Memberships change over time; leave empty for today."),
    )
