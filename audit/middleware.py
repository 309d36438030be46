from django.http import HttpRequest, HttpResponse

from audit.context import acting


class AuditContextMiddleware:
    """Writes during a request are recorded as the request's user, from the client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request=request):
            return self.get_response(request)
