import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yhdyspinta.forms import Form


class TwoFactorCodeForm(Form):
    code = forms.CharField(
        label=pgettext_lazy("two-factor", "Code"),
        help_text=_("The 6-digit code your authenticator app shows now."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )

    def clean_code(self) -> str:
        # Apps show the code in groups ("123 456"); people type it as they see it.
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6,8}", code):
            raise ValidationError(_("Enter the code as the 6 digits your authenticator app shows."), code="format")
        return code
