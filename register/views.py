"""The public register: anyone reads the agreements in force or ended (public documents, 621/1999).

No login and no JavaScript needed. An agreement that is not public answers 404, as a missing one
does. The pages hold nothing that depends on who reads them, so an anonymous visitor's answer may
be kept by shared caches (``Cache-Control: public``); they carry no CSRF token for that reason (the
language switch here is a GET, ``language``). A logged-in user's answers stay ``private, no-store``
(``yhdyspinta.middleware.PrivateNoStoreMiddleware``).
"""

import re
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from agreements.models import Annex, Decision
from agreements.permissions import get_public_agreement
from pdfs.services import final_of
from register import selectors
from register.forms import RegisterFilterForm

# Seconds a shared cache or a browser may keep an anonymous visitor's page: a status change (a new
# edition in force, an agreement ending) shows within this.
PUBLIC_MAX_AGE = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def public_page(view):
    """GET and HEAD only; an anonymous visitor's successful answer may be cached publicly."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not request.user.is_authenticated:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        # The language comes from the cookie or the browser's languages.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return require_safe(wrapped)


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if 1 <= number <= 10000 else 1


@public_page
def index(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(
        request.GET or None,
        counties=selectors.register_counties(),
        municipalities=selectors.register_municipalities(),
    )
    filters = form.filters()
    agreements = selectors.register_agreements(selectors.RegisterFilters(**filters))
    page = Paginator(agreements, selectors.PAGE_SIZE).get_page(_page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "register/index.html",
        {"form": form, "filters": filters, "page": page, "query": query.urlencode(), "public_page": True},
    )


@public_page
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.public_agreement(get_public_agreement(pk))
    context = {"shown": shown, "agreement": shown.agreement, "signed_pdf": final_of(shown.agreement)}
    return render(request, "register/agreement.html", {**context, "public_page": True})


def _pdf(file, title: str) -> FileResponse:
    response = FileResponse(file.open("rb"), content_type="application/pdf", filename=f"{title}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file is shown as a document, never as part of the portal.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; object-src 'none'"
    return response


@public_page
def annex_download(request: HttpRequest, pk: int, annex_pk: int) -> FileResponse:
    annex = get_object_or_404(Annex, pk=annex_pk, agreement=get_public_agreement(pk))
    return _pdf(annex.file, annex.title)


@public_page
def minutes_download(request: HttpRequest, pk: int, decision_pk: int) -> FileResponse:
    decision = get_object_or_404(
        Decision.objects.select_related("party"), pk=decision_pk, party__agreement=get_public_agreement(pk)
    )
    if not decision.minutes_file:
        raise Http404
    return _pdf(decision.minutes_file, f"{decision.party.official_name} § {decision.section}")


@never_cache
@require_safe
def language(request: HttpRequest) -> HttpResponse:
    """The language switch of the public pages: a GET, so that those pages need no CSRF token and
    may be cached publicly. It only sets the language cookie, as Django's ``set_language`` does."""
    next_url = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe or not next_url.startswith("/") or _CONTROL.search(next_url):
        next_url = reverse("register:index")
    response = redirect(next_url)
    code = request.GET.get("language", "")
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
