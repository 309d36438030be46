import base64
from itertools import groupby
from urllib.parse import urlsplit

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from audit.services import audit_event_record
from users.forms import TwoFactorCodeForm
from users.permissions import can_remove_two_factor_device, two_factor_required
from users.selectors import organisation_roles_for_user, two_factor_device_for_user
from users.services import (
    two_factor_device_confirm,
    two_factor_device_create,
    two_factor_device_remove,
    two_factor_device_verify,
)
from yhdyspinta.forms import LoginForm


class LoginView(auth_views.LoginView):
    """Django's login page; someone already logged in goes on to where they were going.

    A ``next`` that leads back to the login page itself is ignored (Django would raise an error on
    the redirect loop): they go to the page after login instead.
    """

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        return "" if urlsplit(url).path == reverse("login") else url


@login_required
def me(request: HttpRequest) -> HttpResponse:
    roles = organisation_roles_for_user(user=request.user)
    organisations = [
        (organisation, [r.get_role_display() for r in group])
        for organisation, group in groupby(roles, key=lambda r: r.organisation)
    ]
    return render(request, "users/me.html", {"organisations": organisations})


def _second_factor_login(request: HttpRequest, device) -> None:
    django_otp.login(request, device)
    # A new session key for the fully logged-in session, as at the password step.
    request.session.cycle_key()


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Two-factor authentication's state; while a device is being set up, its QR code and the form that confirms it."""
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_device_confirm(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            # The code just entered is the second factor of this session too.
            _second_factor_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("users:two_factor")
    return _two_factor_page(request, form)


@never_cache
@login_required
@require_POST
def two_factor_create(request: HttpRequest) -> HttpResponse:
    try:
        two_factor_device_create(user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("users:two_factor")


@never_cache
@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor_device_remove(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("users:two_factor")
    return _two_factor_page(request, form)


def _two_factor_page(request: HttpRequest, form: TwoFactorCodeForm) -> HttpResponse:
    device = two_factor_device_for_user(user=request.user, confirmed=True)
    pending = None if device else two_factor_device_for_user(user=request.user, confirmed=False)
    context = {
        "device": device,
        "pending": pending,
        "required": two_factor_required(request.user),
        "can_remove": device is not None and can_remove_two_factor_device(request.user),
        "form": form,
    }
    if pending:
        secret = base64.b32encode(pending.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context["qr_code"] = _svg_data_uri(pending.config_url)
    return render(request, "users/two_factor.html", context)


def _svg_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI: drawn on the server, no script, allowed by img-src data:."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the user's authenticator app."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    if request.user.is_verified() or two_factor_device_for_user(user=request.user, confirmed=True) is None:
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_device_verify(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            audit_event_record(action=AuditEntry.Action.TWO_FACTOR_FAILED, request=request, user=request.user)
            form.add_error("code", error)
        else:
            _second_factor_login(request, device)
            audit_event_record(action=AuditEntry.Action.TWO_FACTOR_VERIFIED, request=request, user=request.user)
            return redirect(next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})
