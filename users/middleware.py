"""Two-factor authentication for the whole site, the Django admin included."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from users.permissions import two_factor_required
from users.selectors import two_factor_device_for_user


class TwoFactorMiddleware:
    """Keeps a logged-in user who owes a second factor on the page that takes it.

    With a confirmed device the password alone is half a login: everything but the code page
    redirects there until a valid code. Someone TWO_FACTOR_REQUIRED_FOR covers and who has no
    device yet can reach only the page that sets one up. Logging out, switching the language and
    static files (the favicon too) stay open to both. Goes after django_otp's OTPMiddleware and
    MessageMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self._redirect(request) or self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        # request.path, like reverse(), includes the script prefix when the portal runs under one.
        path = request.path
        if request.path_info.startswith(settings.STATIC_URL) or path in (
            reverse("logout"),
            reverse("set_language"),
            reverse("favicon"),  # asked by the browser itself, on the admin's pages
        ):
            return None
        has_device = getattr(user, "has_two_factor_device", None)  # loaded with the user by UserBackend
        if has_device is None:
            has_device = two_factor_device_for_user(user=user, confirmed=True) is not None
        if has_device:
            verify = reverse("two_factor_verify")
            if path == verify:
                return None
            if request.method in ("GET", "HEAD"):
                verify += "?" + urlencode({"next": request.get_full_path()})
            return _redirect_to(request, verify)
        if two_factor_required(user):
            setup = reverse("users:two_factor")
            if path.startswith(setup):
                return None
            messages.warning(request, _("Your role requires two-factor authentication. Set it up to continue."))
            return _redirect_to(request, setup)
        return None


def _redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx would follow a redirect and swap the whole page into a fragment: ask for a full load.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)
