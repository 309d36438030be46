from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.selectors import Filters, table_choices
from yhdyspinta.forms import Form


class FilterForm(Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    table = forms.ChoiceField(label=_("Kind of object"), required=False)
    actor = forms.CharField(label=_("Username"), required=False, max_length=150)
    ip = forms.GenericIPAddressField(label=_("Address"), required=False)
    agreement = forms.IntegerField(label=_("Agreement number"), required=False, min_value=1)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, with_agreement: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *AuditEntry.Action.choices]
        self.fields["table"].choices = [("", _("All")), *table_choices()]
        if not with_agreement:  # one agreement's log, for its coordinators: no addresses either
            del self.fields["agreement"]
            del self.fields["ip"]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> Filters:
        """What to show: the valid filters, or none while the form has errors."""
        if not self.is_valid():
            return Filters()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return Filters(**data)
