"""The user's own notification settings: which kinds of e-mail they get, and in which language."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agreements.models import NotificationOptOut
from agreements.services.notifications import notification_settings_save, notifications_turned_off
from yhdyspinta.forms import CheckboxList, Form


class NotificationSettingsForm(Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("E-mail me when"),
        choices=NotificationOptOut.Kind.choices,
        widget=CheckboxList,
        required=False,
        help_text=gettext_lazy("Untick what you do not want by e-mail. Your home page shows every notice."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mails"),
        choices=[("", gettext_lazy("Finnish (not chosen)")), *settings.LANGUAGES],
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    off = notifications_turned_off(user)
    initial = {"kinds": [k for k in NotificationOptOut.Kind.values if k not in off], "language": user.language}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_save(
            user=user, kinds_on=form.cleaned_data["kinds"], language=form.cleaned_data["language"]
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("users:notifications")
    return render(request, "users/notifications.html", {"form": form, "has_email": bool(user.email)})
