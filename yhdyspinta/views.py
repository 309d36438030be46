from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from yhdyspinta import home as home_page
from yhdyspinta.health import FAILING, detail_allowed, health_report


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the portal's front page; a logged-in user what awaits them."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    # Cache-Control: private, no-store comes with every answer to a logged-in user (PrivateNoStoreMiddleware).
    return render(request, "my_home.html", {"sections": home_page.home_sections(user=request.user)})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """503 only when the web process cannot work; a missing worker shows as "degraded" with 200.
    The services' states only for those ``detail_allowed`` lets see them."""
    report = health_report()
    status = 503 if report["status"] == FAILING else 200
    return JsonResponse(report if detail_allowed(request) else {"status": report["status"]}, status=status)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (the admin's, a PDF's): our SVG icon.

    Not a permanent redirect: the icon's address changes with its content (hashed static names).
    """
    return redirect(static("img/favicon.svg"))
