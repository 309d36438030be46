import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from regions import selectors
from regions.forms import DayForm
from regions.models import EmploymentArea, Municipality, WellbeingCounty
from regions.permissions import get_organisation_members_for_user


def _day_from(request: HttpRequest) -> tuple[DayForm, datetime.date]:
    form = DayForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["on"]:
        return form, form.cleaned_data["on"]
    return form, timezone.localdate()


def county_list(request: HttpRequest) -> HttpResponse:
    form, day = _day_from(request)
    return render(
        request,
        "regions/county_list.html",
        {"form": form, "day": day, "counties": selectors.county_list_on(day)},
    )


def county_detail(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(WellbeingCounty, code=code)
    form, day = _day_from(request)
    return render(
        request,
        "regions/county_detail.html",
        {"form": form, "day": day, "detail": selectors.county_detail_on(county, day)},
    )


def employment_area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(EmploymentArea.objects.select_related("responsible_municipality"), code=code)
    form, day = _day_from(request)
    return render(
        request,
        "regions/employment_area_detail.html",
        {"form": form, "day": day, "detail": selectors.employment_area_detail_on(area, day)},
    )


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code)
    form, day = _day_from(request)
    return render(
        request,
        "regions/municipality_detail.html",
        {"form": form, "day": day, "detail": selectors.municipality_detail_on(municipality, day)},
    )


def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_members_for_user(request.user, pk)
    return render(
        request,
        "regions/organisation_members.html",
        {"organisation": organisation, "roles": selectors.organisation_roles(organisation)},
    )
