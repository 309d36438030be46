"""Views for the structured parts of an agreement: goals (3.2), forums (4.1) and annexes (10).

Each handles a POST from a form on the section page: valid input goes to one service and back to
the page; invalid input renders the page again with the errors next to the fields.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements import permissions, services
from agreements.forms import AnnexForm, ForumForm, GoalForm, IndicatorForm, MeasureForm
from agreements.models import Annex, Forum, Goal, Indicator, Measure
from agreements.selectors import party_choices
from agreements.services.structured import INDICATOR_FIELDS


def _back(agreement, key: str, anchor: str = "") -> HttpResponse:
    return redirect(reverse("agreements:section", args=[agreement.pk, key]) + (f"#{anchor}" if anchor else ""))


def _form_page(request, agreement, key: str, form, heading: str, status: int = 200) -> HttpResponse:
    """The form alone: a page of its own, or just the form when htmx opens it inside the table."""
    template = "agreements/_item_form.html" if request.headers.get("HX-Request") else "agreements/item_form.html"
    context = {
        "agreement": agreement,
        "section_key": key,
        "form": form,
        "heading": heading,
        "action": request.path,
        "multipart": isinstance(form, AnnexForm),
    }
    return render(request, template, context, status=status)


def _apply(request, agreement, key: str, form, save, heading: str, anchor: str) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, agreement, key, form, heading)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return _back(agreement, key, anchor)
    return _form_page(request, agreement, key, form, heading, status=400)


def _data(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@require_http_methods(["GET", "POST"])
def goal_save(request: HttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="edit")
    goal = get_object_or_404(Goal, pk=goal_pk, agreement=agreement) if goal_pk else None
    prefix = f"goal-{goal.pk}" if goal else "goal-new"
    parties, choices = party_choices(agreement)
    form = GoalForm(_data(request)[0], instance=goal, prefix=prefix, parties=parties, party_choices=choices)
    heading = _("Edit the goal") if goal else _("Add a goal")

    def save(data):
        return services.goal_save(
            agreement=agreement,
            goal=goal,
            by=request.user,
            title=data["title"],
            theme=data["theme"],
            description=data["description"],
            responsible_parties=data["responsible_parties"],
        )

    return _apply(request, agreement, "3.2", form, save, heading, f"goal-{goal.pk}" if goal else "goals")


@require_http_methods(["GET", "POST"])
def measure_save(request: HttpRequest, pk: int, goal_pk: int, measure_pk: int | None = None) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="edit")
    goal = get_object_or_404(Goal, pk=goal_pk, agreement=agreement)
    measure = get_object_or_404(Measure, pk=measure_pk, goal=goal) if measure_pk else None
    prefix = f"measure-{measure.pk}" if measure else f"measure-new-{goal.pk}"
    parties, choices = party_choices(agreement)
    form = MeasureForm(_data(request)[0], instance=measure, prefix=prefix, parties=parties, party_choices=choices)
    heading = _("Edit the measure") if measure else _("Add a measure")

    def save(data):
        return services.measure_save(
            goal=goal,
            measure=measure,
            by=request.user,
            description=data["description"],
            lead_party=data["lead_party"],
            co_parties=data["co_parties"],
            schedule=data["schedule"],
        )

    return _apply(request, agreement, "3.2", form, save, heading, f"goal-{goal.pk}")


@require_http_methods(["GET", "POST"])
def indicator_save(request: HttpRequest, pk: int, goal_pk: int, indicator_pk: int | None = None) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="edit")
    goal = get_object_or_404(Goal, pk=goal_pk, agreement=agreement)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, goal=goal) if indicator_pk else None
    prefix = f"indicator-{indicator.pk}" if indicator else f"indicator-new-{goal.pk}"
    form = IndicatorForm(_data(request)[0], instance=indicator, prefix=prefix)
    heading = _("Edit the indicator") if indicator else _("Add an indicator")

    def save(data):
        return services.indicator_save(
            goal=goal, indicator=indicator, by=request.user, **{name: data[name] for name in INDICATOR_FIELDS}
        )

    return _apply(request, agreement, "3.2", form, save, heading, f"goal-{goal.pk}")


@require_http_methods(["GET", "POST"])
def forum_save(request: HttpRequest, pk: int, forum_pk: int | None = None) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="edit")
    forum = get_object_or_404(Forum, pk=forum_pk, agreement=agreement) if forum_pk else None
    prefix = f"forum-{forum.pk}" if forum else "forum-new"
    parties, choices = party_choices(agreement)
    seats = dict(forum.seats.values_list("party_id", "seats")) if forum else {}
    form = ForumForm(
        _data(request)[0], instance=forum, prefix=prefix, parties=parties, party_choices=choices, seats=seats
    )
    heading = _("Edit the forum") if forum else _("Add a forum")

    def save(data):
        return services.forum_save(
            agreement=agreement,
            forum=forum,
            by=request.user,
            name=data["name"],
            level=data["level"],
            chair=data["chair"],
            meeting_frequency=data["meeting_frequency"],
            seats=form.seats_by_party(),
        )

    return _apply(request, agreement, "4.1", form, save, heading, "forums")


@require_POST
def structured_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="edit")
    lookups = {
        "goal": (Goal, {"agreement": agreement}, "3.2"),
        "measure": (Measure, {"goal__agreement": agreement}, "3.2"),
        "indicator": (Indicator, {"goal__agreement": agreement}, "3.2"),
        "forum": (Forum, {"agreement": agreement}, "4.1"),
    }
    if kind not in lookups:
        raise Http404
    model, scope, key = lookups[kind]
    item = get_object_or_404(model, pk=item_pk, **scope)
    services.structured_delete(item=item, by=request.user)
    messages.success(request, _("Removed."))
    return _back(agreement, key)


@require_http_methods(["GET", "POST"])
def annex_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="edit")
    form = AnnexForm(*_data(request), prefix="annex")

    def save(data):
        return services.annex_add(agreement=agreement, by=request.user, title=data["title"], upload=data["file"])

    return _apply(request, agreement, "10", form, save, _("Add an annex"), "annexes")


@require_POST
def annex_remove(request: HttpRequest, pk: int, annex_pk: int) -> HttpResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk, action="edit")
    services.annex_remove(annex=get_object_or_404(Annex, pk=annex_pk, agreement=agreement), by=request.user)
    messages.success(request, _("Removed."))
    return _back(agreement, "10", "annexes")


def annex_download(request: HttpRequest, pk: int, annex_pk: int) -> FileResponse:
    agreement = permissions.get_agreement_for_user(request.user, pk)
    annex = get_object_or_404(Annex, pk=annex_pk, agreement=agreement)
    response = FileResponse(
        annex.file.open("rb"), content_type="application/pdf", as_attachment=False, filename=f"{annex.title}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file is shown as a document, never as part of the portal.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; object-src 'none'"
    return response
