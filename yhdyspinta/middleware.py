"""Response headers the whole portal sends, and what it refuses before any view runs."""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

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
# The largest id a database row can have (a 64-bit signed integer).
_MAX_ID = 2**63 - 1


def _names_nothing(value) -> bool:
    """Whether a path parameter cannot name anything: a control character, or a number beyond any id."""
    if isinstance(value, int):
        return value > _MAX_ID
    if not isinstance(value, str):
        return False
    if _CONTROL_CHARACTERS.search(value):
        return True
    # As text too (the admin's object ids), before int() refuses thousands of digits.
    return value.isascii() and value.isdigit() and (len(value) > 19 or int(value) > _MAX_ID)


class RefuseOddPathParametersMiddleware:
    """404 for an address whose path parameters hold a control character or a number beyond any id.

    Nothing is named with those, and the databases fail on them instead of finding nothing
    (PostgreSQL refuses a NUL byte in any query, SQLite an integer beyond 64 bits): a server error
    for "not found". Checked here, before any view runs, so every URL pattern is covered, the
    admin's included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if any(_names_nothing(value) for value in (*view_args, *view_kwargs.values())):
            raise Http404


# The URL namespaces whose pages show what an agreement holds (its text, parties, annexes, audit log).
PRIVATE_NAMESPACES = frozenset({"agreements", "audit"})


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a logged-in user, and on every answer
    of the agreements' and audit log's pages to anyone.

    They show what only that user or the parties may read (a home page of their agreements and
    discussions, their roles, an agreement's text and log): a shared proxy must not keep them, nor a
    browser on a shared computer keep them on disk. One rule here, so a new page cannot forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        private_page = match is not None and bool(match.namespaces) and match.namespaces[0] in PRIVATE_NAMESPACES
        user = getattr(request, "user", None)
        if private_page or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response
