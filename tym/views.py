"""The pages of TYM steering groups; permissions come from ``tym.permissions``, writes from ``tym.services``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from regions.forms import DayForm
from regions.models import EmploymentArea, WellbeingCounty
from tym import permissions, selectors, services
from tym.forms import GoalForm, MemberForm, NegotiationForm, StaffingReviewForm, SteeringGroupForm
from tym.models import SteeringGroup


def _day_from(request: HttpRequest):
    form = DayForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["on"]:
        return form, form.cleaned_data["on"]
    return form, timezone.localdate()


def _saved(form, write) -> bool:
    """Runs ``write`` on a valid form; a broken rule goes next to its field."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
def county(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(WellbeingCounty, code=code)
    if not permissions.can_view_groups(request.user):
        raise PermissionDenied
    form, day = _day_from(request)
    overview = selectors.county_overview_on(county, day)
    found = selectors.visible_agreements(request.user, [item.group for item in overview.groups])
    for item in overview.groups:
        item.agreements = found[item.group.pk]
    return render(
        request,
        "tym/county.html",
        {
            "form": form,
            "day": day,
            "overview": overview,
            "may_set_up": permissions.can_set_up_group(request.user, county),
        },
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(SteeringGroup.objects.select_related("county"), pk=pk)
    if not permissions.can_view_groups(request.user):
        raise PermissionDenied
    form, day = _day_from(request)
    return render(
        request,
        "tym/group.html",
        {
            "form": form,
            "day": day,
            "item": selectors.group_on(group, day),
            "may_name": permissions.can_name_members(request.user, group),
            "agreements": selectors.visible_agreements(request.user, [group])[group.pk],
            "may_start": permissions.can_start_tym_agreement(request.user, group),
            "may_follow_up": permissions.can_record_follow_up(request.user, group),
        },
    )


@login_required
def negotiation_add(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(WellbeingCounty, code=code)
    if not permissions.can_record_negotiation(request.user, county):
        raise PermissionDenied
    form = NegotiationForm(request.POST or None)
    if request.method == "POST" and _saved(
        form, lambda data: services.negotiation_record(county=county, by=request.user, **data)
    ):
        return redirect("tym:county", county.code)
    return render(request, "tym/negotiation_form.html", {"county": county, "form": form})


@login_required
def group_create(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(WellbeingCounty, code=code)
    if not permissions.can_set_up_group(request.user, county):
        raise PermissionDenied
    areas = EmploymentArea.objects.filter(
        pk__in=services.authorities_responsible_in(county, timezone.localdate())
    ).order_by("code")
    form = SteeringGroupForm(request.POST or None, areas=areas)
    created = []

    def write(data):
        created.append(
            services.steering_group_create(
                county=county,
                name=data["name"],
                employment_areas=list(data["employment_areas"]),
                lead_authority=data["lead_authority"],
                term_start=data["term_start"],
                by=request.user,
            )
        )

    if request.method == "POST" and _saved(form, write):
        return redirect("tym:group", created[0].pk)
    return render(request, "tym/group_form.html", {"county": county, "form": form})


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(SteeringGroup.objects.select_related("county"), pk=pk)
    if not permissions.can_name_members(request.user, group):
        raise PermissionDenied
    form = MemberForm(request.POST or None, organisations=permissions.organisations_named_by(request.user, group))

    def write(data):
        data = dict(data)
        user = data.pop("username")
        services.group_member_add(group=group, user=user, by=request.user, **data)

    if request.method == "POST" and _saved(form, write):
        return redirect("tym:group", group.pk)
    return render(request, "tym/member_form.html", {"group": group, "form": form})


# --- Yearly goals and staffing reviews -----------------------------------------------------------


def _follow_up_form(request: HttpRequest, pk: int, form_class, write, template: str) -> HttpResponse:
    group = get_object_or_404(SteeringGroup.objects.select_related("county"), pk=pk)
    if not permissions.can_record_follow_up(request.user, group):
        raise PermissionDenied
    form = form_class(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and _saved(form, lambda data: write(group=group, by=request.user, **data)):
        return redirect("tym:group", group.pk)
    return render(request, template, {"group": group, "form": form})


@login_required
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_up_form(request, pk, GoalForm, services.group_goal_add, "tym/goal_form.html")


@login_required
def staffing_review_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_up_form(request, pk, StaffingReviewForm, services.staffing_review_record, "tym/review_form.html")
