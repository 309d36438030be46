from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import approval_views, kinds, permissions, selectors, services, workflow_selectors, workflow_views
from agreements.diff import text_diff
from agreements.forms import (
    AgreementStartForm,
    AgreementTermsForm,
    CommentForm,
    PartyAddForm,
    PartyForm,
    RestoreForm,
    SectionForm,
)
from agreements.models import Comment, Party, Section
from agreements.sanitize import sanitize_html
from pdfs import views as pdf_views
from regions.models import WellbeingCounty
from regions.selectors import county_municipalities_on
from yhdyspinta.fragments import render_fragment


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _section(request: HttpRequest, pk: int, key: str, action: str = "view") -> Section:
    agreement = permissions.get_agreement_for_user(request.user, pk, action=action)
    section = get_object_or_404(Section, agreement=agreement, key=key)
    section.agreement = agreement
    return section


def _state_key(agreement, *parts) -> tuple | None:
    """A cache key for what is shown of ``agreement`` in its present state (see
    ``Agreement.objects.with_change_stamp``), or None when its state cannot be named."""
    if agreement.change_stamp is None:
        return None
    return (agreement.pk, agreement.change_stamp, *parts)


def _conflict_key(section: Section) -> str:
    return f"section-conflict:{section.pk}"


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    coordinated = selectors.counties_coordinated_by(request.user)
    return render(
        request,
        "agreements/list.html",
        {
            "agreements": selectors.agreement_list_for_user(user=request.user),
            "everything": permissions.sees_every_agreement(request.user),
            "startable": permissions.counties_startable_by(request.user, coordinated),
        },
    )


def county_agreements(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(WellbeingCounty, code=code)
    return render(
        request,
        "agreements/county.html",
        {
            "county": county,
            "agreements": selectors.agreement_list_for_county(user=request.user, county=county),
            "can_start": permissions.can_start_agreement(request.user, county),
        },
    )


@login_required
def agreement_start(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(WellbeingCounty, code=code)
    if not permissions.can_start_agreement(request.user, county):
        raise PermissionDenied
    members = county_municipalities_on(county, timezone.localdate())
    form = AgreementStartForm(request.POST or None, members=members, initial={"kind": "strategic"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_start(
                by=request.user,
                county=county,
                title=data["title"],
                kind=data["kind"],
                language=data["language"],
                municipalities=data["municipalities"],
                include_regional_council=data["include_regional_council"],
                main_theme=data["main_theme"],
                themes=data["themes"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agreement was started."))
            return redirect("agreements:detail", agreement.pk)
    return render(request, "agreements/start.html", {"county": county, "form": form})


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    can_manage = permissions.can_manage_agreement(request.user, agreement)
    can_audit = permissions.can_audit_agreement(request.user, agreement)
    # The workflow panel (agreements.workflow_views): its forms for those who run the workflow, and
    # the editions this reader may see, whose statuses the key names (they change on their own rows).
    can_run = permissions.can_run_workflow(request.user, agreement)
    editions = workflow_selectors.editions_of(agreement, user=request.user)
    # The approval before freezing (agreements.approval_views): the approver's form, and the kind's
    # checks, which may read more than the agreement's own rows (so they are read every time).
    can_approve = permissions.can_approve(request.user, agreement)
    checks = approval_views.checks_for(agreement)
    body = render_fragment(
        request,
        "agreements/_detail_body.html",
        _state_key(
            agreement,
            "overview",
            can_manage,
            can_audit,
            can_run,
            tuple((e.pk, e.status) for e in editions),
            can_approve,
            approval_views.checks_key(checks),
        ),
        lambda: {
            "overview": selectors.agreement_overview(agreement),
            "can_manage": can_manage,
            "can_audit": can_audit,
            "workflow": workflow_views.panel(
                agreement, user=request.user, can_run=can_run, editions=editions, can_approve=can_approve, checks=checks
            ),
        },
    )
    pdf = pdf_views.panel(request.user, agreement)
    return render(request, "agreements/detail.html", {"agreement": agreement, "body": body.html, "pdf": pdf})


def _page_number(value: str | None, last: int = 1000) -> int:
    """A page number from the query string: 1 unless it is a number from 1 to ``last``."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if 1 <= number <= last else 1


def _structured_context(agreement, section: Section) -> dict:
    part = kinds.of(agreement).part(section.kind)
    if part is not None:
        return {"part": part, **part.context(agreement)}
    if section.kind == "goals":
        return {"goals": selectors.goals_of(agreement)}
    if section.kind == "forums":
        return {"forums": selectors.forums_of(agreement)}
    if section.kind == "annexes":
        return {"annexes": list(agreement.annexes.select_related("uploaded_by"))}
    return {}


def section_detail(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _section_page(request, pk, key)


def _section_page(
    request: HttpRequest, pk: int, key: str, *, refused: SectionForm | None = None, status: int = 200
) -> HttpResponse:
    """The section's page; with ``refused``, a save that was refused, shown with its errors and text."""
    agreement = permissions.get_agreement_for_user(request.user, pk)
    user = request.user
    can_edit = permissions.can_edit_agreement(user, agreement)
    can_comment = permissions.can_comment_agreement(user, agreement)
    party_ids = permissions.party_ids_of(user, agreement) if can_comment else []
    # The comment form lists the parties only to someone who speaks for several (_section_body.html);
    # everyone else with the same rights is shown the same page.
    listed_parties = tuple(party_ids) if len(party_ids) > 1 else ()
    comment_page = _page_number(request.GET.get("comments"))

    def context() -> dict:
        section = get_object_or_404(Section, agreement=agreement, key=key)
        section.agreement = agreement
        party_choices = [(p.pk, p.official_name) for p in agreement.parties.filter(pk__in=listed_parties)]
        previous_section, next_section = selectors.section_neighbours(section)
        form = refused or (
            SectionForm(initial={"text": section.text, "base_version": section.version}) if can_edit else None
        )
        return {
            "previous_section": previous_section,
            "next_section": next_section,
            "page_title": f"{section.key} {section.title}",
            "agreement": agreement,
            "section": section,
            "template": kinds.of(agreement).section(section.key),
            "can_edit": can_edit,
            "form": form,
            "comment_form": CommentForm(party_choices=party_choices) if can_comment else None,
            "comments": selectors.section_comments(section, page=comment_page),
            "can_comment": can_comment,
            **_structured_context(agreement, section),
        }

    # Everything the body shows follows from the agreement's state and these permissions; a refused
    # save shows what was sent, and some kinds' parts show rows outside the agreement: never cached.
    cacheable = not refused and kinds.of(agreement).section_cacheable(key)
    cache_key = (
        _state_key(agreement, "section", key, can_edit, can_comment, listed_parties, comment_page)
        if cacheable
        else None
    )
    body = render_fragment(request, "agreements/_section_body.html", cache_key, context)
    return render(
        request,
        "agreements/section.html",
        {"agreement": agreement, "title": body.title, "can_edit": can_edit, "body": body.html},
        status=status,
    )


@require_POST
def section_save(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    section = _section(request, pk, key)
    form = SectionForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": _("The form was incomplete.")}, status=400)
        messages.error(request, _("The form was incomplete."))
        return redirect("agreements:section", pk, key)
    data = form.cleaned_data
    # Only the first save from the conflict page merges; its later autosaves are ordinary edits.
    resolves_conflict = data["resolves_conflict"] and _conflict_key(section) in request.session
    try:
        version = services.section_save(
            section=section,
            text=data["text"],
            base_version=data["base_version"],
            by=request.user,
            resolves_conflict=resolves_conflict,
        )
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": " ".join(error.messages)}, status=400)
        form.add_error(None, error)
        return _section_page(request, pk, key, refused=form, status=400)
    except PermissionDenied:
        if _wants_json(request):
            return JsonResponse(
                {"status": "forbidden", "message": _("You can no longer edit this agreement.")}, status=403
            )
        raise
    except services.SectionConflict:
        request.session[_conflict_key(section)] = {
            "text": sanitize_html(data["text"]),
            "base": data["base_version"],
        }
        url = reverse("agreements:section_conflict", args=[pk, key])
        message = _("Someone else saved this section while you were editing. Your text is kept.")
        if _wants_json(request):
            return JsonResponse(
                {
                    "status": "conflict",
                    "message": message,
                    "conflict_url": url,
                    "conflict_link_text": _("Compare and merge the texts"),
                },
                status=409,
            )
        messages.warning(request, message)
        return redirect(url)
    if resolves_conflict:
        request.session.pop(_conflict_key(section), None)
    # What this save wrote, never a later one's: the section may have moved on since it committed.
    # Nothing changed (None): the text was already saved, as base_version.
    number, saved_at = (version.number, version.created_at) if version else (data["base_version"], timezone.now())
    message = _("Saved at %(time)s") % {"time": formats.time_format(timezone.localtime(saved_at), "H.i")}
    if _wants_json(request):
        history = ngettext("History: %(counter)s version", "History: %(counter)s versions", number)
        history %= {"counter": number}
        return JsonResponse({"status": "saved", "version": number, "message": message, "history": history})
    messages.success(request, message)
    return redirect("agreements:section", pk, key)


def section_conflict(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    section = _section(request, pk, key, action="edit")
    rejected = request.session.get(_conflict_key(section))
    if not rejected:
        messages.info(request, _("There is no conflict to resolve in this section."))
        return redirect("agreements:section", pk, key)
    return render(
        request,
        "agreements/conflict.html",
        {
            "agreement": section.agreement,
            "section": section,
            "mine": rejected["text"],
            "diff": text_diff(section.text, rejected["text"]),
            "unsaved": True,  # the editor holds the user's refused text, not what is saved
            "form": SectionForm(
                initial={"text": rejected["text"], "base_version": section.version, "resolves_conflict": True}
            ),
        },
    )


def section_history(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    section = _section(request, pk, key)

    def number(name: str) -> int | None:
        try:
            value = int(request.GET.get(name, ""))
        except ValueError:
            return None
        return value if 0 <= value <= section.version else None

    page = selectors.section_history_page(section, before=number("before"))
    # Unless asked for two versions, show what the page's newest entry changed.
    shown = page.entries[0] if page.entries else None
    new = number("b")
    new = new if new is not None else (shown.last.number if shown else section.version)
    old = number("a")
    old = old if old is not None else (shown.first_number - 1 if shown else max(new - 1, 0))
    texts = selectors.section_version_texts(section, {old, new})
    return render(
        request,
        "agreements/history.html",
        {
            "agreement": section.agreement,
            "section": section,
            "page": page,
            "before": number("before"),
            "old": old,
            "new": new,
            "diff": text_diff(texts.get(old, ""), texts.get(new, "")),
            "can_edit": permissions.can_edit_agreement(request.user, section.agreement),
        },
    )


@require_POST
def section_restore(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    section = _section(request, pk, key, action="edit")
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return redirect("agreements:section_history", pk, key)
    if not section.versions.filter(number=form.cleaned_data["number"]).exists():
        raise Http404
    try:
        version = services.section_restore(
            section=section,
            number=form.cleaned_data["number"],
            base_version=form.cleaned_data["base_version"],
            by=request.user,
        )
    except services.SectionConflict:
        messages.warning(request, _("The section changed meanwhile; look at the newest version before restoring."))
        return redirect("agreements:section_history", pk, key)
    messages.success(
        request,
        _("Version %(old)s was restored as version %(new)s.") % {"old": version.restored_from, "new": version.number},
    )
    return redirect("agreements:section", pk, key)


@require_POST
def comment_add(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    section = _section(request, pk, key, action="comment")
    form = CommentForm(request.POST, parties=section.agreement.parties.all())
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], section=section)
        try:
            services.comment_add(
                section=section,
                text=form.cleaned_data["text"],
                by=request.user,
                party=form.cleaned_data["party"],
                parent=parent,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your comment was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("agreements:section", args=[pk, key]) + "#comments")


@require_POST
def comment_resolve(request: HttpRequest, pk: int, key: str, comment_pk: int) -> HttpResponse:
    section = _section(request, pk, key, action="comment")
    comment = get_object_or_404(Comment, pk=comment_pk, section=section)
    comment.section = section
    try:
        services.comment_resolve(comment=comment, by=request.user, resolved=request.POST.get("resolved") != "0")
    except ValidationError as error:  # a reply: no page offers to resolve one on its own
        raise BadRequest(" ".join(error.messages)) from error
    return redirect(reverse("agreements:section", args=[pk, key]) + "#comments")


def parties(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    can_manage = permissions.can_manage_agreement(request.user, agreement)
    return render(
        request,
        "agreements/parties.html",
        {
            "agreement": agreement,
            "parties": agreement.parties.select_related("organisation"),
            "add_form": PartyAddForm(organisations=selectors.party_candidates(agreement)) if can_manage else None,
            "can_manage": can_manage,
        },
    )


@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="manage")
    form = PartyAddForm(request.POST, organisations=selectors.party_candidates(agreement))
    if form.is_valid():
        try:
            party = services.party_add(
                agreement=agreement, organisation=form.cleaned_data["organisation"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s was added as a party.") % {"name": party.official_name})
    return redirect("agreements:parties", pk)


def _party(request: HttpRequest, pk: int, party_pk: int) -> Party:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="manage")
    party = get_object_or_404(Party.objects.select_related("organisation"), pk=party_pk, agreement=agreement)
    party.agreement = agreement
    return party


def _party_row(request: HttpRequest, party: Party, status: str = "") -> HttpResponse:
    """One party's row of the parties table, for htmx to put back in place of its form."""
    context = {"agreement": party.agreement, "party": party, "can_manage": True, "focus": True, "status": status}
    return render(request, "agreements/_party_row.html", context)


@require_http_methods(["GET", "POST"])
def party_update(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    """The form for one party's details: in place of its row (htmx), or a page of its own."""
    party = _party(request, pk, party_pk)
    name = party.official_name  # as saved: the form writes what was typed onto the instance
    form = PartyForm(request.POST if request.method == "POST" else None, instance=party, prefix=f"party-{party.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            party = services.party_update(
                party=party,
                official_name=form.cleaned_data["official_name"],
                business_id=form.cleaned_data["business_id"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            saved = _("The details of %(name)s were saved.") % {"name": party.official_name}
            if request.headers.get("HX-Request"):
                return _party_row(request, party, status=saved)
            messages.success(request, saved)
            return redirect(reverse("agreements:parties", args=[pk]) + f"#party-{party.pk}")
    htmx = bool(request.headers.get("HX-Request"))
    if htmx:  # the form opens in place of the row: its first field takes the focus the Edit link had
        form.fields["official_name"].widget.attrs["autofocus"] = True
    template = "agreements/_party_form_row.html" if htmx else "agreements/party_form.html"
    # htmx swaps only a successful answer: a refused form comes back with 200 to show its errors.
    status = 400 if form.errors and not htmx else 200
    context = {"agreement": party.agreement, "party": party, "name": name, "form": form}
    return render(request, template, context, status=status)


@require_GET
def party_row(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    """One party's row as the table shows it (htmx's Cancel); without htmx, the parties page."""
    party = _party(request, pk, party_pk)
    if not request.headers.get("HX-Request"):
        return redirect(reverse("agreements:parties", args=[pk]) + f"#party-{party.pk}")
    return _party_row(request, party)


@require_POST
def party_remove(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="manage")
    party = get_object_or_404(Party, pk=party_pk, agreement=agreement)
    try:
        services.party_remove(party=party, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer a party.") % {"name": party.official_name})
    return redirect("agreements:parties", pk)


@require_http_methods(["GET", "POST"])
def agreement_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """Section 5's terms: entry into force, validity, notice and review (the coordinators, while open)."""
    agreement = permissions.get_agreement_for_user(request.user, pk, action="manage")
    form = AgreementTermsForm(request.POST if request.method == "POST" else None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.core.TERMS}
        try:
            services.agreement_terms_update(agreement=agreement, by=request.user, **values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The terms were saved."))
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/terms.html",
        {"agreement": agreement, "form": form},
        status=400 if request.method == "POST" else 200,
    )
