"""Create PDF, its progress and its download; the signed agreement's sealed PDF in the register.

Each view finds the agreement through ``agreements.permissions`` first (404 for a reader who may not
see it), then the rendition among that agreement's own. The panel on the agreement's page is
rendered outside its cached body: a job's progress is not a change to the agreement.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from agreements import permissions
from agreements.models import Agreement
from pdfs import services
from pdfs.models import Rendition
from register.views import public_page
from users.models import User


def _rendition(agreement: Agreement, pk: int) -> Rendition:
    rendition = get_object_or_404(Rendition.objects.defer("content"), pk=pk, agreement=agreement)
    rendition.agreement = agreement  # the one checked, with its permissions read once
    return rendition


def _state(user: User, rendition: Rendition | None) -> dict:
    if rendition is None:
        return {}
    agreement = rendition.agreement
    stale = services.stale(rendition)
    return {
        "rendition": rendition,
        "pending": rendition.is_pending and not stale,
        "stale": stale,
        "can_retry": services.can_retry(user, rendition),
        # Why it failed may name the server's files and settings: for the organisers and the admins.
        "shows_reason": user.is_staff or permissions.can_run_workflow(user, agreement),
    }


def panel(user: User, agreement: Agreement) -> dict:
    """What the PDF panel on the agreement's page shows: the newest PDF for reading and the sealed one."""
    newest = {}
    for purpose in (Rendition.Purpose.READING, Rendition.Purpose.FINAL):
        newest[purpose] = agreement.renditions.defer("content").filter(purpose=purpose).first()
        if newest[purpose] is not None:
            newest[purpose].agreement = agreement
    return {
        "agreement": agreement,
        "reading": _state(user, newest[Rendition.Purpose.READING]),
        "final": _state(user, newest[Rendition.Purpose.FINAL]),
    }


def _answer(request: HttpRequest, agreement: Agreement, rendition: Rendition, status: int = 200) -> HttpResponse:
    context = {"agreement": agreement, **_state(request.user, rendition)}
    if request.headers.get("HX-Request"):
        return render(request, "pdfs/_rendition.html", context, status=status)
    return render(request, "pdfs/rendition.html", context, status=status)


@require_POST
def rendition_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    rendition = services.rendition_request(agreement=agreement, by=request.user)
    if request.headers.get("HX-Request"):
        return _answer(request, agreement, Rendition.objects.defer("content").get(pk=rendition.pk))
    return redirect("pdfs:status", pk=agreement.pk, rendition_pk=rendition.pk)


@require_safe
def rendition_status(request: HttpRequest, pk: int, rendition_pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    return _answer(request, agreement, _rendition(agreement, rendition_pk))


@require_POST
def rendition_retry(request: HttpRequest, pk: int, rendition_pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    rendition = _rendition(agreement, rendition_pk)
    with contextlib.suppress(ValidationError):  # it was made meanwhile: the answer shows it
        services.rendition_retry(rendition=rendition, by=request.user)
    if request.headers.get("HX-Request"):
        return _answer(request, agreement, _rendition(agreement, rendition_pk))
    return redirect("pdfs:status", pk=agreement.pk, rendition_pk=rendition.pk)


def _pdf_response(rendition: Rendition) -> HttpResponse:
    content = Rendition.objects.values_list("content", flat=True).get(pk=rendition.pk)
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{rendition.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; object-src 'none'"
    return response


@require_safe
def rendition_download(request: HttpRequest, pk: int, rendition_pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    rendition = _rendition(agreement, rendition_pk)
    if rendition.status != Rendition.Status.DONE:
        raise Http404
    return _pdf_response(rendition)


@public_page
def signed_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed PDF of an agreement the public register shows."""
    rendition = services.final_of(permissions.get_public_agreement(pk))
    if rendition is None:
        raise Http404
    return _pdf_response(rendition)
