from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from yhdyspinta.health import FAILING, detail_allowed, health_report


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """503 only when the web process cannot work; a missing worker shows as "degraded" with 200.
    The services' states only for those ``detail_allowed`` lets see them."""
    report = health_report()
    status = 503 if report["status"] == FAILING else 200
    return JsonResponse(report if detail_allowed(request) else {"status": report["status"]}, status=status)
