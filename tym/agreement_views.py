"""Editing a TYM agreement's terms: service locations, client process, staff, review, costs, Kela.

Each form is a page of its own that htmx may open in place on the section's page, as the goals'
forms are (``agreements.content_views``): parse input → guarded fetch (404 for an agreement the
user does not see, 403 when they may not edit it; a row of another agreement is 404) → one service
of ``tym.terms`` → back to the section. A refused form comes back with its errors next to the fields.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements.models import Agreement
from agreements.permissions import get_agreement_for_user
from regions.models import Organisation
from regions.selectors import county_municipalities_on
from tym import terms
from tym.checks import check_day
from tym.forms import (
    CostItemForm,
    CostKeyForm,
    KelaParticipationForm,
    ServiceLocationForm,
    ServiceTermsForm,
    StaffBasisForm,
    StaffingReviewTermsForm,
    StaffRowForm,
)
from tym.models import AuthorityShare, CostItem, ServiceLocation, StaffRow, TymAgreement

SERVICE, STAFF, REVIEW, COSTS, KELA = (
    terms.SECTION_OF[k] for k in ("tym_service", "tym_staff", "tym_review", "tym_costs", "tym_kela")
)


def _editable(request: HttpRequest, pk: int) -> tuple[Agreement, TymAgreement]:
    """The agreement and its TYM terms, if the user may edit it; 404 for an agreement of another kind."""
    agreement = get_agreement_for_user(request.user, pk, action="edit")
    tym = TymAgreement.objects.select_related("group__county").filter(agreement=agreement).first()
    if tym is None:
        raise Http404
    return agreement, tym


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _back(agreement: Agreement, key: str, anchor: str) -> HttpResponse:
    return redirect(reverse("agreements:section", args=[agreement.pk, key]) + f"#{anchor}")


def _refused(form, error: ValidationError) -> None:
    """The service's errors next to the fields they name; any other under the form's heading."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _edit(request, agreement, key: str, anchor: str, form, heading: str, save) -> HttpResponse:
    """The form (in place for htmx, else a page of its own); a valid POST goes to ``save``."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return _back(agreement, key, anchor)
    htmx = bool(request.headers.get("HX-Request"))
    template = "agreements/_item_form.html" if htmx else "agreements/item_form.html"
    context = {"agreement": agreement, "section_key": key, "form": form, "heading": heading, "action": request.path}
    # htmx swaps only a successful answer: a refused form it opened comes back with 200.
    status = 400 if request.method == "POST" and not htmx else 200
    return render(request, template, context, status=status)


def _delete(request, agreement, key: str, anchor: str, row) -> HttpResponse:
    try:
        terms.terms_row_delete(row=row, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return _back(agreement, key, anchor)


# --- 4 How the service is arranged -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def location_save(request: HttpRequest, pk: int, row: int | None = None) -> HttpResponse:
    agreement, tym = _editable(request, pk)
    location = get_object_or_404(ServiceLocation, pk=row, agreement=agreement) if row else None
    municipalities = county_municipalities_on(tym.group.county, check_day(agreement))
    form = ServiceLocationForm(
        _data(request),
        instance=location,
        initial={"channels": location.channels} if location else None,
        prefix=f"location-{location.pk}" if location else "location-new",
        municipalities=municipalities,
    )

    def save(data):
        terms.service_location_save(
            agreement=agreement,
            by=request.user,
            location=location,
            name=data["name"],
            address=data["address"],
            municipality=data["municipality"],
            channels=data["channels"],
        )

    heading = _("Edit the service location") if location else _("Add a service location")
    return _edit(request, agreement, SERVICE, "tym-service-heading", form, heading, save)


@login_required
@require_POST
def location_delete(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    agreement, _tym = _editable(request, pk)
    location = get_object_or_404(ServiceLocation, pk=row, agreement=agreement)
    return _delete(request, agreement, SERVICE, "tym-service-heading", location)


@login_required
@require_http_methods(["GET", "POST"])
def service_terms(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, tym = _editable(request, pk)
    form = ServiceTermsForm(_data(request), instance=tym, prefix="service")

    def save(data):
        terms.service_terms_update(
            agreement=agreement,
            by=request.user,
            client_criteria=data["client_criteria"],
            client_process=data["client_process"],
        )

    heading = _("Edit the clients and the client process")
    return _edit(request, agreement, SERVICE, "tym-process-heading", form, heading, save)


# --- 5 Staff per party -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_basis(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, tym = _editable(request, pk)
    form = StaffBasisForm(_data(request), instance=tym, prefix="basis")

    def save(data):
        terms.staff_basis_update(
            agreement=agreement,
            by=request.user,
            staff_basis=data["staff_basis"],
            expected_clients=data["expected_clients"],
        )

    heading = _("Edit how the staff are counted")
    return _edit(request, agreement, STAFF, "tym-staff-heading", form, heading, save)


@login_required
@require_http_methods(["GET", "POST"])
def staff_save(request: HttpRequest, pk: int, row: int | None = None) -> HttpResponse:
    agreement, _tym = _editable(request, pk)
    staff_row = get_object_or_404(StaffRow, pk=row, agreement=agreement) if row else None
    form = StaffRowForm(
        _data(request),
        instance=staff_row,
        prefix=f"staff-{staff_row.pk}" if staff_row else "staff-new",
        parties=agreement.parties.order_by("position", "pk"),
        locations=ServiceLocation.objects.filter(agreement=agreement),
    )

    def save(data):
        terms.staff_row_save(
            agreement=agreement,
            by=request.user,
            row=staff_row,
            party=data["party"],
            title=data["title"],
            amount=data["amount"],
            location=data["location"],
            tasks=data["tasks"],
        )

    heading = _("Edit the staff row") if staff_row else _("Add a staff row")
    return _edit(request, agreement, STAFF, "tym-staff-heading", form, heading, save)


@login_required
@require_POST
def staff_delete(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    agreement, _tym = _editable(request, pk)
    staff_row = get_object_or_404(StaffRow, pk=row, agreement=agreement)
    return _delete(request, agreement, STAFF, "tym-staff-heading", staff_row)


# --- 6 The yearly staffing review --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staffing_review(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, tym = _editable(request, pk)
    form = StaffingReviewTermsForm(_data(request), instance=tym, prefix="review")

    def save(data):
        terms.staffing_review_update(agreement=agreement, by=request.user, staffing_review=data["staffing_review"])

    heading = _("Edit the yearly staffing review")
    return _edit(request, agreement, REVIEW, "tym-review-heading", form, heading, save)


# --- 7 Costs -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cost_save(request: HttpRequest, pk: int, row: int | None = None) -> HttpResponse:
    agreement, _tym = _editable(request, pk)
    item = get_object_or_404(CostItem, pk=row, agreement=agreement) if row else None
    form = CostItemForm(_data(request), instance=item, prefix=f"cost-{item.pk}" if item else "cost-new")

    def save(data):
        terms.cost_item_save(
            agreement=agreement, by=request.user, item=item, name=data["name"], annual_amount=data["annual_amount"]
        )

    heading = _("Edit the joint cost") if item else _("Add a joint cost")
    return _edit(request, agreement, COSTS, "tym-costs-heading", form, heading, save)


@login_required
@require_POST
def cost_delete(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    agreement, _tym = _editable(request, pk)
    item = get_object_or_404(CostItem, pk=row, agreement=agreement)
    return _delete(request, agreement, COSTS, "tym-costs-heading", item)


@login_required
@require_http_methods(["GET", "POST"])
def cost_key(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, tym = _editable(request, pk)
    authorities = [
        p
        for p in agreement.parties.select_related("organisation").order_by("position", "pk")
        if p.organisation.kind == Organisation.Kind.EMPLOYMENT_AUTHORITY
    ]
    shares = dict(AuthorityShare.objects.filter(agreement=agreement).values_list("party_id", "percent"))
    form = CostKeyForm(_data(request), instance=tym, prefix="key", authorities=authorities, shares=shares)

    def save(data):
        terms.cost_key_update(
            agreement=agreement,
            by=request.user,
            cost_key=data["cost_key"],
            cost_key_name=data["cost_key_name"],
            cost_key_basis=data["cost_key_basis"],
            county_percent=data["county_percent"],
            authority_split=data["authority_split"],
            authority_split_basis=data["authority_split_basis"],
            authority_shares=form.shares_by_party(),
        )

    heading = _("Edit how the joint costs are split")
    return _edit(request, agreement, COSTS, "tym-split-heading", form, heading, save)


# --- 8 Kela's participation --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kela_participation(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, tym = _editable(request, pk)
    form = KelaParticipationForm(_data(request), instance=tym, prefix="kela")

    def save(data):
        terms.kela_participation_update(
            agreement=agreement,
            by=request.user,
            kela_participation=data["kela_participation"],
            kela_contribution=data["kela_contribution"],
            kela_terms=data["kela_terms"],
        )

    heading = _("Edit Kela's participation in the costs")
    return _edit(request, agreement, KELA, "tym-kela-heading", form, heading, save)
