"""Pages for the parties' decisions: the party matrix and its CSV, a party's decision page, the
forms to record and correct a decision, to confirm legal force and to record an appeal.

Anyone who may see the agreement sees the matrix and every party's decision page: the parties are
public bodies deciding the same agreement, and what the pages show (body, date, §, minutes) is what
each party publishes online anyway. Only a party's own officials (or the organiser's coordinator
for a party with nobody in the portal) get the forms; ``agreements.permissions`` decides who.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import decisions as selectors
from agreements import kinds, permissions
from agreements.decision_forms import AppealForm, AppealOutcomeForm, DecisionForm
from agreements.models import Decision, Party
from agreements.services import decisions as services
from agreements.services.decisions import DECISION_FIELDS


def _party(request: HttpRequest, pk: int, party_pk: int) -> Party:
    """The party of an agreement the user may see; 404 otherwise."""
    agreement = permissions.get_agreement_for_user(request.user, pk)
    party = get_object_or_404(Party.objects.select_related("organisation"), pk=party_pk, agreement=agreement)
    party.agreement = agreement
    return party


def _decision(party: Party, decision_pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("change_proposal"), pk=decision_pk, party=party)
    decision.party = party
    return decision


def _add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _day(date) -> str:
    return f"{date.day}.{date.month}.{date.year}" if date else ""


# --- The party matrix ----------------------------------------------------------------------------


@require_GET
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    return render(
        request,
        "agreements/decisions/matrix.html",
        {
            "agreement": agreement,
            "matrix": selectors.party_matrix(agreement),
            "can_run_workflow": permissions.can_run_workflow(request.user, agreement),
        },
    )


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell as Finnish Excel reads it safely: text that a spreadsheet would run is prefixed with '."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def matrix_rows(matrix: selectors.PartyMatrix) -> list[list[str]]:
    header = [
        _("Party"),
        _("Deciding body"),
        _("Diary number"),
        _("Proposal"),
        _("Decision date"),
        _("§"),
        _("Outcome"),
        _("Minutes published on"),
        _("Appeal period ends"),
        _("Legal force"),
        _("Signatures"),
    ]
    rows = [header]
    for row in matrix.rows:
        d = row.decision
        if d is None:
            rows.append([row.party.official_name, "", "", "", "", "", _("Pending"), "", "", "", ""])
            continue
        proposal = " ".join(
            x
            for x in (d.proposal_body, _day(d.proposal_date), f"§ {d.proposal_section}" if d.proposal_section else "")
            if x
        )
        outcome = d.get_outcome_display()
        if d.entered_for_party:
            outcome = f"{outcome} ({_('entered by the coordinator')})"
        rows.append(
            [
                row.party.official_name,
                d.body_name or d.get_body_display(),
                d.diary_number,
                proposal,
                _day(d.decided_on),
                d.section,
                outcome,
                _day(d.minutes_published_on),
                _day(d.appeal_period_ends),
                _legal_force_label(d, row),
                f"{row.party.signature_count} / {row.party.signatory_count}",
            ]
        )
    rows.append([matrix.rollup.summary])
    return rows


def _legal_force_label(decision: Decision, row: selectors.MatrixRow) -> str:
    if row.legally_final:
        return _("Legally final")
    if decision.legal_force == Decision.LegalForce.APPEALED:
        if decision.appeal_outcome:
            return f"{_('Appealed')}: {decision.get_appeal_outcome_display()}"
        return _("Appealed")
    if row.appeal_running:
        return _("Appeal period running")
    if decision.appeal_period_ends:
        return _("Appeal period over, not confirmed")
    return _("Minutes not published")


@require_GET
def matrix_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The matrix and the roll-up for the council's agenda: UTF-8 with a byte order mark and
    semicolons, as Finnish Excel opens a file without asking."""
    agreement = permissions.get_agreement_for_user(request.user, pk)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in matrix_rows(selectors.party_matrix(agreement)):
        writer.writerow([csv_cell(cell) for cell in row])
    name = f"{slugify(agreement.title) or 'agreement'}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- A party's decision --------------------------------------------------------------------------


def _party_page(request: HttpRequest, party: Party, *, appeal_form=None, status: int = 200) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    history = list(party.decisions.select_related("change_proposal", "recorded_by").order_by("-decided_on", "-pk"))
    decision = history[0] if history else None
    may_record = permissions.can_record_decision(user, party)
    may_confirm = decision is not None and permissions.can_record_legal_force(user, party)
    may_appeal = decision is not None and permissions.can_record_appeal(user, party)
    if may_appeal and appeal_form is None:
        if selectors.appeal_undecided(decision):
            appeal_form = AppealOutcomeForm(prefix="outcome")
        elif decision.legal_force != Decision.LegalForce.APPEALED:
            appeal_form = AppealForm(prefix="appeal")
    return render(
        request,
        "agreements/decisions/party.html",
        {
            "agreement": party.agreement,
            "party": party,
            "decision": decision,
            "earlier": history[1:],
            "legally_final": selectors.is_legally_final(decision),
            "annulled": decision is not None and selectors.is_annulled(decision),
            "appeal_running": decision is not None and selectors.appeal_period_running(decision, today),
            "may_record": may_record,
            "may_update": may_record and decision is not None and decision.legal_force == Decision.LegalForce.PENDING,
            "may_confirm": may_confirm and selectors.awaits_legal_force(decision, today),
            "appeal_form": appeal_form if may_appeal else None,
            "as_coordinator": permissions.records_for_party(user, party) == "coordinator",
            "decisions_open": permissions.decisions_open(party.agreement),
        },
        status=status,
    )


@require_GET
def party_decision(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    return _party_page(request, _party(request, pk, party_pk))


def _form_page(request, party, form, heading, status=200) -> HttpResponse:
    context = {
        "agreement": party.agreement,
        "party": party,
        "form": form,
        "heading": heading,
        "as_coordinator": permissions.records_for_party(request.user, party) == "coordinator",
    }
    return render(request, "agreements/decisions/form.html", context, status=status)


def _data(form: DecisionForm) -> dict:
    data = form.cleaned_data
    return {
        "fields": {name: data[name] for name in DECISION_FIELDS},
        "changes": data["changes"],
        # Without a new upload the field gives back the file already stored: nothing to save.
        "minutes_file": upload if isinstance(upload := data.get("minutes_file"), UploadedFile) else None,
    }


@require_http_methods(["GET", "POST"])
def decision_record(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    party = _party(request, pk, party_pk)
    if not permissions.can_record_decision(request.user, party):
        raise PermissionDenied
    heading = _("Record the decision of %(party)s") % {"party": party.official_name}
    posted = request.method == "POST"
    form = DecisionForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        prefix="decision",
        bodies=kinds.of(party.agreement).decision_bodies,
    )
    if posted and form.is_valid():
        values = _data(form)
        try:
            services.decision_record(
                party=party,
                by=request.user,
                changes=values["changes"],
                minutes_file=values["minutes_file"],
                **values["fields"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("agreements:decision", pk, party.pk)
    return _form_page(request, party, form, heading, status=400 if posted else 200)


@require_http_methods(["GET", "POST"])
def decision_update(request: HttpRequest, pk: int, party_pk: int, decision_pk: int) -> HttpResponse:
    party = _party(request, pk, party_pk)
    decision = _decision(party, decision_pk)
    if not permissions.can_record_decision(request.user, party):
        raise PermissionDenied
    heading = _("Correct the decision of %(party)s") % {"party": party.official_name}
    posted = request.method == "POST"
    proposal = getattr(decision, "change_proposal", None)
    initial = {"changes": proposal.description if proposal else ""}
    # The form only parses (DecisionForm._post_clean): the service writes onto the decision.
    form = DecisionForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=decision,
        initial=initial,
        prefix="decision",
        bodies=kinds.of(party.agreement).decision_bodies,
    )
    if posted and form.is_valid():
        values = _data(form)
        try:
            services.decision_update(
                decision=decision,
                by=request.user,
                changes=values["changes"],
                minutes_file=values["minutes_file"],
                remove_minutes_file=form.cleaned_data.get("remove_minutes_file", False),
                **values["fields"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision was saved."))
            return redirect("agreements:decision", pk, party.pk)
    return _form_page(request, party, form, heading, status=400 if posted else 200)


@require_POST
def legal_force_confirm(request: HttpRequest, pk: int, party_pk: int, decision_pk: int) -> HttpResponse:
    party = _party(request, pk, party_pk)
    decision = _decision(party, decision_pk)
    if not permissions.can_record_legal_force(request.user, party):
        raise PermissionDenied
    try:
        services.legal_force_confirm(decision=decision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision was confirmed legally final."))
    return redirect("agreements:decision", pk, party.pk)


@require_POST
def appeal(request: HttpRequest, pk: int, party_pk: int, decision_pk: int) -> HttpResponse:
    """Records an appeal against the decision, or, once one is recorded, its outcome."""
    party = _party(request, pk, party_pk)
    decision = _decision(party, decision_pk)
    if not permissions.can_record_appeal(request.user, party):
        raise PermissionDenied
    if selectors.appeal_undecided(decision):
        form = AppealOutcomeForm(request.POST, prefix="outcome")

        def save(data):
            services.appeal_outcome_record(
                decision=decision, by=request.user, outcome=data["outcome"], decided_on=data["decided_on"]
            )

        done = _("The outcome of the appeal was recorded.")
    else:
        form = AppealForm(request.POST, prefix="appeal")

        def save(data):
            services.appeal_record(decision=decision, by=request.user, court=data["court"], filed_on=data["filed_on"])

        done = _("The appeal was recorded.")
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("agreements:decision", pk, party.pk)
    return _party_page(request, party, appeal_form=form, status=400)


@require_GET
def minutes(request: HttpRequest, pk: int, party_pk: int, decision_pk: int) -> FileResponse:
    party = _party(request, pk, party_pk)
    decision = _decision(party, decision_pk)
    if not decision.minutes_file:
        raise Http404
    response = FileResponse(
        decision.minutes_file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{slugify(party.official_name) or 'minutes'}-{decision.decided_on:%Y-%m-%d}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file is shown as a document, never as part of the portal.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; object-src 'none'"
    return response
