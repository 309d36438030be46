from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

PDF_MAGIC = b"%PDF-"


class VerifyForm(forms.Form):
    """A file to verify. Read into memory to be checked, never saved."""

    file = forms.FileField(
        label=_("The PDF file to check"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = settings.ANNEX_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB can be checked.")
                % {"size": f"{upload.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"}
            )
        upload.seek(0)
        content = upload.read()
        if not content[:1024].lstrip(b"\r\n\t ").startswith(PDF_MAGIC):
            raise forms.ValidationError(_("The file is not a PDF document. Choose the PDF file of the agreement."))
        return content
