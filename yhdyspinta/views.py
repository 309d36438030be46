from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

from yhdyspinta import home as home_page
from yhdyspinta.health import FAILING, health_report


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the portal's front page; a logged-in user what awaits them."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    response = render(request, "my_home.html", {"sections": home_page.home_sections(user=request.user)})
    # It lists the user's agreements and discussions: no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """503 only when the web process cannot work; a missing worker shows as "degraded" with 200."""
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == FAILING else 200)
