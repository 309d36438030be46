from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from yhdyspinta.health import FAILING, health_report


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """503 only when the web process cannot work; a missing worker shows as "degraded" with 200."""
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == FAILING else 200)
