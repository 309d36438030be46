"""The workflow's pages: the panel on the agreement's page, a move's form, starting an edition,
resolving a change proposal, and the difference between two editions.

Only those who run the workflow (``permissions.can_run_workflow``: the organising county's
coordinators) get the forms; a reader who may see the agreement but not move it gets 403, anyone
else 404. Each view calls one service; a refusal is shown with the form, naming what is unmet.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agreements import approval_views, permissions, workflow_selectors
from agreements.models import Agreement, ChangeProposal
from agreements.services import workflow
from agreements.services.editions import (
    change_proposal_accept,
    change_proposal_reject,
    edition_refusal,
    edition_start,
)
from agreements.workflow_forms import ChangeProposalForm, DeadlineForm, EditionForm, move_form, move_label

S = Agreement.Status


def moves_for(user, agreement: Agreement) -> list[str]:
    """The moves ``user`` may make from the agreement's status (the system's own moves are not offered)."""
    result = []
    for to in workflow.allowed_moves(agreement):
        may = workflow.MAY_MOVE.get(to)
        if may is not None and may(user, agreement):
            result.append(to)
    return result


def panel(
    agreement: Agreement,
    *,
    user,
    can_run: bool,
    editions: list[Agreement],
    can_approve: bool = False,
    checks: list | None = None,
) -> dict:
    """What the workflow panel of the agreement's page shows; the forms only to ``can_run``.

    What it shows follows from the agreement's state and ``can_run`` (and the editions, which the
    page's cache key names), so it is rendered into the cached body. So do ``can_approve`` and the
    kind's ``checks`` (``approval_views``), which the key names too.
    """
    checks = checks or []
    moves = moves_for(user, agreement) if can_run else []
    # --- Approval before freezing (agreements.approval_views) ---
    # Submission is offered once every check passes; while submitted, the approvals freeze the text.
    submit_blocked = S.SUBMITTED in moves and any(not check.ok for check in checks)
    if submit_blocked:
        moves.remove(S.SUBMITTED)
    if agreement.status == S.SUBMITTED and S.NEGOTIATED in moves:
        moves.remove(S.NEGOTIATED)
    # --- end of approval before freezing ---
    open_threads = workflow_selectors.open_thread_count(agreement) if S.NEGOTIATED in moves else 0
    return {
        "agreement": agreement,
        "can_run": can_run,
        "editions": editions if len(editions) > 1 else [],
        "previous_visible": any(e.pk == agreement.previous_edition_id for e in editions),
        "change_proposals": workflow_selectors.change_proposals_of(agreement),
        "open_threads": open_threads,
        "moves": [
            (to, move_label(to), move_form(to, agreement=agreement, open_threads=open_threads, prefix=f"move-{to}"))
            for to in moves
        ],
        "can_start_edition": can_run and edition_refusal(agreement) is None,
        "approval": approval_views.panel_context(agreement, can_approve=can_approve, checks=checks),
    }


def _move_page(request, agreement, to, form, refusals=(), status=200) -> HttpResponse:
    return render(
        request,
        "agreements/workflow_move.html",
        {"agreement": agreement, "to": to, "label": move_label(to), "form": form, "refusals": refusals},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def workflow_move(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="workflow")
    if to not in S.values:
        raise Http404
    if to not in workflow.allowed_moves(agreement):
        # Not a move from this status (a stale page): say so, as the service would.
        refusals = workflow.unmet(agreement, to)
        return _move_page(request, agreement, to, None, refusals, status=200 if request.method == "GET" else 400)
    if to not in moves_for(request.user, agreement):
        raise PermissionDenied  # a move the portal makes itself (dates, the last signature)
    open_threads = workflow_selectors.open_thread_count(agreement) if to == S.NEGOTIATED else 0
    form = move_form(
        to,
        request.POST if request.method == "POST" else None,
        agreement=agreement,
        open_threads=open_threads,
        prefix=f"move-{to}",
    )
    if request.method != "POST" or not form.is_valid():
        return _move_page(request, agreement, to, form, status=200 if request.method == "GET" else 400)
    try:
        workflow.transition(
            agreement=agreement, to=to, by=request.user, reason=form.cleaned_data["reason"], **form.details()
        )
    except workflow.TransitionRefused as refused:
        return _move_page(request, agreement, to, form, refusals=refused.messages, status=400)
    messages.success(request, _("The agreement is now: %(status)s.") % {"status": S(to).label.lower()})
    return redirect("agreements:detail", agreement.pk)


@require_http_methods(["GET", "POST"])
def consultation_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="workflow")
    form = DeadlineForm(
        request.POST if request.method == "POST" else None, initial={"deadline": agreement.consultation_deadline}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.consultation_deadline_change(
                agreement=agreement, by=request.user, deadline=form.cleaned_data["deadline"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The deadline for comments was changed."))
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/consultation_deadline.html",
        {"agreement": agreement, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def edition_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="workflow")
    if not permissions.can_start_edition(request.user, agreement):
        raise PermissionDenied
    form = EditionForm(request.POST if request.method == "POST" else None)
    refusal = edition_refusal(agreement)
    if request.method == "POST" and form.is_valid():
        try:
            new = edition_start(agreement=agreement, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Edition %(edition)s was started as a draft.") % {"edition": new.edition})
            return redirect("agreements:detail", new.pk)
    return render(
        request,
        "agreements/edition_start.html",
        {"agreement": agreement, "form": form, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def change_proposal_resolve(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    proposal = get_object_or_404(
        ChangeProposal.objects.select_related("decision__party"), pk=proposal_pk, decision__party__agreement=agreement
    )
    if not permissions.can_resolve_change_proposal(request.user, agreement):
        raise PermissionDenied
    form = ChangeProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["resolve"] == ChangeProposalForm.ACCEPT:
                new = change_proposal_accept(proposal=proposal, by=request.user, reason=data["resolution"])
                messages.success(
                    request,
                    _("The change was accepted: edition %(edition)s was started as a draft. Make the change in it.")
                    % {"edition": new.edition},
                )
                return redirect("agreements:detail", new.pk)
            change_proposal_reject(proposal=proposal, by=request.user, resolution=data["resolution"])
        except ValidationError as error:
            form.add_error(None, error)  # a dict of errors goes next to its field
        else:
            messages.success(request, _("The change proposal was rejected."))
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/change_proposal.html",
        {"agreement": agreement, "proposal": proposal, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def edition_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two editions: ``?against=<id>`` names the other edition (by default the
    previous one); both must be editions of one series that the reader may see."""
    agreement = permissions.get_agreement_for_user(request.user, pk)
    editions = workflow_selectors.editions_of(agreement, user=request.user)
    others = {e.pk: e for e in editions if e.pk != agreement.pk}
    against = request.GET.get("against", "")
    if against:
        if not against.isdigit() or int(against) not in others:
            raise Http404
        other = others[int(against)]
    else:
        other = others.get(agreement.previous_edition_id) or next(iter(others.values()), None)
    diff = None
    if other is not None:
        old, new = sorted([other, agreement], key=lambda e: e.edition)
        diff = workflow_selectors.edition_diff(old, new)
    return render(
        request,
        "agreements/edition_diff.html",
        {"agreement": agreement, "editions": editions, "other": other, "diff": diff},
    )
