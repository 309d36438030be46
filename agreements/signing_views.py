"""The signatures pages: each party's signatories, signing in the portal, signatures from outside."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import permissions, signing_selectors
from agreements.models import Agreement, Party, Signatory, Signature
from agreements.services import signing
from agreements.signing_forms import OutsideSignatureForm, SignatoryForm, SignForm
from users.selectors import two_factor_device_for_user


def _party(request: HttpRequest, pk: int, party_pk: int) -> Party:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    party = get_object_or_404(Party.objects.select_related("organisation"), pk=party_pk, agreement=agreement)
    party.agreement = agreement
    return party


def _signatory(request: HttpRequest, pk: int, signatory_pk: int) -> Signatory:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    signatory = get_object_or_404(
        Signatory.objects.select_related("party__organisation", "signature"),
        pk=signatory_pk,
        party__agreement=agreement,
    )
    signatory.party.agreement = agreement
    return signatory


def _signatures_url(agreement_pk: int, party_pk: int) -> str:
    return f"{reverse('agreements:signatures', args=[agreement_pk])}#party-{party_pk}"


def _signatures_page(request: HttpRequest, agreement: Agreement, bound_form=None, bound_party=None, status=200):
    blocks = signing_selectors.party_signatures(agreement=agreement, user=request.user)
    may_name = signing.naming_open(agreement)
    for block in blocks:
        if block.party == bound_party:
            block.form = bound_form
        elif block.can_name and may_name:
            block.form = SignatoryForm(prefix=f"party-{block.party.pk}", candidates=block.candidates)
        else:
            block.form = None
    context = {
        "agreement": agreement,
        "blocks": blocks,
        "may_name": may_name,
        "signing": agreement.status == Agreement.Status.SIGNING or signing.signs_late(agreement),
    }
    return render(request, "agreements/signatures.html", context, status=status)


@require_GET
def signatures(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    return _signatures_page(request, agreement)


@require_POST
def signatory_add(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    party = _party(request, pk, party_pk)
    if not permissions.can_name_signatories(request.user, party):
        raise PermissionDenied
    form = SignatoryForm(
        request.POST, prefix=f"party-{party.pk}", queryset=signing_selectors.signatory_candidates(party)
    )
    if form.is_valid():
        try:
            signatory = signing.signatory_add(party=party, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_signatures_url(pk, party.pk))
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s was named to sign for %(party)s.")
                % {
                    "name": signatory.name,
                    "party": party.official_name,
                },
            )
            return redirect(_signatures_url(pk, party.pk))
    return _signatures_page(request, party.agreement, bound_form=form, bound_party=party, status=400)


@require_POST
def signatory_remove(request: HttpRequest, pk: int, signatory_pk: int) -> HttpResponse:
    signatory = _signatory(request, pk, signatory_pk)
    if not permissions.can_name_signatories(request.user, signatory.party):
        raise PermissionDenied
    try:
        signing.signatory_remove(signatory=signatory, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer a signatory.") % {"name": signatory.name})
    return redirect(_signatures_url(pk, signatory.party_id))


@never_cache
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int, signatory_pk: int) -> HttpResponse:
    """The signatory's own page: the frozen text's SHA-256, and a fresh code from their authenticator."""
    signatory = _signatory(request, pk, signatory_pk)
    agreement = signatory.party.agreement
    if not permissions.can_sign(request.user, signatory):
        raise PermissionDenied
    device = two_factor_device_for_user(user=request.user, confirmed=True)
    form = SignForm(request.POST or None, initial={"text_sha256": agreement.text_sha256})
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            signing.signature_sign(
                signatory=signatory,
                by=request.user,
                text_sha256=form.cleaned_data["text_sha256"],
                token=form.cleaned_data["code"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as error:
            form.add_error("code" if error.code in ("wrong", "throttled", "off") else None, error)
        else:
            messages.success(request, _("You signed %(agreement)s.") % {"agreement": agreement.title})
            return redirect(_signatures_url(pk, signatory.party_id))
    context = {
        "agreement": agreement,
        "signatory": signatory,
        "device": device,
        "refusal": signing.signature_refusal(signatory, agreement),
        "form": form,
    }
    return render(request, "agreements/sign.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def sign_outside(request: HttpRequest, pk: int, signatory_pk: int) -> HttpResponse:
    """The party's official records a signature made outside the portal, with the signed page."""
    signatory = _signatory(request, pk, signatory_pk)
    agreement = signatory.party.agreement
    if not permissions.can_name_signatories(request.user, signatory.party):
        raise PermissionDenied
    form = OutsideSignatureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            signing.signature_record_outside(
                signatory=signatory,
                by=request.user,
                signed_on=form.cleaned_data["signed_on"],
                place=form.cleaned_data["place"],
                upload=form.cleaned_data["signed_page"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The signature of %(name)s was recorded.") % {"name": signatory.name})
            return redirect(_signatures_url(pk, signatory.party_id))
    context = {
        "agreement": agreement,
        "signatory": signatory,
        "refusal": signing.signature_refusal(signatory, agreement),
        "form": form,
    }
    return render(request, "agreements/sign_outside.html", context, status=400 if form.errors else 200)


@require_GET
def signed_page(request: HttpRequest, pk: int, signatory_pk: int) -> FileResponse:
    """The signed page recorded with a signature from outside the portal."""
    signatory = _signatory(request, pk, signatory_pk)
    signature: Signature | None = getattr(signatory, "signature", None)
    if signature is None or not signature.signed_page:
        raise Http404
    response = FileResponse(
        signature.signed_page.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{signatory.party.official_name} {signatory.name}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file is shown as a document, never as part of the portal.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; object-src 'none'"
    return response
