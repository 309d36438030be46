"""The agreement as its printed document on screen: the same HTML as the PDF, with the style sheet
through the static files (no inline styles: the page is served under the strict CSP)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from agreements.permissions import get_agreement_for_user, get_public_agreement
from pdfs.document import document_html
from register.views import public_page


@login_required
@require_safe
def agreement_print(request: HttpRequest, pk: int) -> HttpResponse:
    """For anyone who may see the agreement (404 for the others)."""
    agreement = get_agreement_for_user(request.user, pk)
    return HttpResponse(document_html(agreement, screen=True, back=reverse("agreements:detail", args=[agreement.pk])))


@public_page
def public_print(request: HttpRequest, pk: int) -> HttpResponse:
    """For anyone, of an agreement the public register shows (404 for any other)."""
    agreement = get_public_agreement(pk)
    return HttpResponse(
        document_html(agreement, final=True, screen=True, back=reverse("register:agreement", args=[agreement.pk]))
    )
