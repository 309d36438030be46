"""Response headers the whole portal sends, and what it refuses before any view runs."""

import re

from django.http import Http404, HttpRequest, HttpResponse

# Everything from our own origin; no inline scripts or styles, no eval, no framing, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Django's admin still writes a few style attributes; it is for staff only and gets this exception.
ADMIN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith("/admin/")
            response["Content-Security-Policy"] = ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY
        return response


# C0 and C1 control characters (NUL above all) and lone surrogates: no name or key of ours holds one.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class RefuseControlCharactersMiddleware:
    """404 for an address whose path parameters hold a control character.

    Nothing is named or keyed with one, and PostgreSQL refuses a NUL byte in any query (a server
    error instead of "not found"), so a view is never asked to look one up. Here, before any view
    runs, so every URL pattern is covered, the admin's included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, str) and _CONTROL_CHARACTERS.search(value):
                raise Http404
