from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Theme
from yhdyspinta.forms import Form


class RegisterFilterForm(Form):
    """The register's filters. The choices are the counties and the municipalities that are a party
    to a public agreement, read once by the view; a code that is none of them is refused next to its field."""

    county = forms.ChoiceField(label=_("County"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", _("All")), *Theme.choices], required=False)

    def __init__(self, *args, counties, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.counties = {c.code: c for c in counties}
        self.municipalities = {m.code: m for m in municipalities}
        self.fields["county"].choices = [("", _("All")), *((c.code, c.name) for c in counties)]
        self.fields["municipality"].choices = [("", _("All")), *((m.code, m.name) for m in municipalities)]

    def filters(self) -> dict:
        """The chosen county and municipality (objects) and theme; nothing chosen where a value was refused."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "county": self.counties.get(data.get("county") or ""),
            "municipality": self.municipalities.get(data.get("municipality") or ""),
            "theme": data.get("theme") or "",
        }
