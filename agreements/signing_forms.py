"""Forms of the signatures pages: naming a signatory, signing, recording an outside signature."""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from users.forms import TwoFactorCodeForm
from users.models import User
from yhdyspinta.forms import DateField, Form


def _person(user: User) -> str:
    return user.get_full_name() or user.username


class SignatoryForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example: kunnanjohtaja."))
    authority = forms.CharField(
        label=_("Authority to sign"),
        max_length=300,
        help_text=_("For example: hallintosääntö § 45, or the decision that names them."),
    )
    user = forms.ModelChoiceField(
        label=_("Signs in the portal as"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Signs outside the portal"),
        help_text=_("A user who holds the signatory role in the organisation."),
    )

    def __init__(self, *args, candidates: Iterable[User] | None = None, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.label_from_instance = _person
        if queryset is not None:
            field.queryset = queryset
        if candidates is not None:
            # Shown on a page of many parties: the users were read once for all of them.
            field.choices = [("", field.empty_label), *((u.pk, _person(u)) for u in candidates)]


class SignForm(TwoFactorCodeForm):
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    place = forms.CharField(label=pgettext_lazy("place of signing", "Place"), max_length=100, required=False)

    field_order = ["place", "code", "text_sha256"]


class OutsideSignatureForm(Form):
    signed_on = DateField(label=_("Signed on"))
    place = forms.CharField(label=pgettext_lazy("place of signing", "Place"), max_length=100, required=False)
    signed_page = forms.FileField(
        label=_("The signed page (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
