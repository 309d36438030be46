"""Reads of the area data. Each returns what a page needs in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from regions.models import (
    CountyMembership,
    EmploymentArea,
    EmploymentAreaMembership,
    Municipality,
    RegionalCouncil,
    RegionalCouncilMembership,
    WellbeingCounty,
)


@dataclass(frozen=True)
class Composition:
    """Who belonged where on one day, as municipality id → area id (three queries)."""

    day: datetime.date
    county_of: dict[int, int]
    employment_area_of: dict[int, int]
    regional_council_of: dict[int, int]

    def members_of_county(self, county_id: int) -> set[int]:
        return {m for m, c in self.county_of.items() if c == county_id}

    def counties_of_employment_area(self, area_id: int) -> set[int]:
        return {self.county_of[m] for m, a in self.employment_area_of.items() if a == area_id and m in self.county_of}


def composition_on(day: datetime.date) -> Composition:
    def mapping(model, field: str) -> dict[int, int]:
        return dict(model.objects.valid_on(day).values_list("municipality_id", f"{field}_id"))

    return Composition(
        day=day,
        county_of=mapping(CountyMembership, "county"),
        employment_area_of=mapping(EmploymentAreaMembership, "employment_area"),
        regional_council_of=mapping(RegionalCouncilMembership, "regional_council"),
    )


def municipalities_existing_on(day: datetime.date) -> QuerySet[Municipality]:
    return Municipality.objects.filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=day))


@dataclass(frozen=True)
class CountySummary:
    county: WellbeingCounty
    municipality_count: int
    employment_area_count: int


def county_list_on(day: datetime.date) -> list[CountySummary]:
    composition = composition_on(day)
    areas_of: dict[int, set[int]] = {}
    for municipality_id, county_id in composition.county_of.items():
        area_id = composition.employment_area_of.get(municipality_id)
        areas_of.setdefault(county_id, set())
        if area_id is not None:
            areas_of[county_id].add(area_id)
    return [
        CountySummary(
            county=county,
            municipality_count=len(composition.members_of_county(county.pk)),
            employment_area_count=len(areas_of.get(county.pk, ())),
        )
        for county in WellbeingCounty.objects.order_by("code")
    ]


@dataclass(frozen=True)
class AreaInCounty:
    area: EmploymentArea
    other_counties: list[WellbeingCounty]


@dataclass(frozen=True)
class CountyDetail:
    county: WellbeingCounty
    municipalities: list[tuple[Municipality, EmploymentArea | None]]
    employment_areas: list[AreaInCounty]
    regional_councils: list[RegionalCouncil]


def county_detail_on(county: WellbeingCounty, day: datetime.date) -> CountyDetail:
    composition = composition_on(day)
    member_ids = composition.members_of_county(county.pk)
    municipalities = list(Municipality.objects.filter(pk__in=member_ids).order_by("name_fi"))
    area_ids = {composition.employment_area_of[m] for m in member_ids if m in composition.employment_area_of}
    areas = {a.pk: a for a in EmploymentArea.objects.filter(pk__in=area_ids).order_by("code")}
    counties = {c.pk: c for c in WellbeingCounty.objects.all()}
    council_ids = {composition.regional_council_of[m] for m in member_ids if m in composition.regional_council_of}
    return CountyDetail(
        county=county,
        municipalities=[(m, areas.get(composition.employment_area_of.get(m.pk))) for m in municipalities],
        employment_areas=[
            AreaInCounty(
                area=area,
                other_counties=sorted(
                    (counties[c] for c in composition.counties_of_employment_area(area.pk) if c != county.pk),
                    key=lambda c: c.code,
                ),
            )
            for area in areas.values()
        ],
        regional_councils=list(RegionalCouncil.objects.filter(pk__in=council_ids).order_by("code")),
    )


@dataclass(frozen=True)
class EmploymentAreaDetail:
    area: EmploymentArea
    municipalities: list[Municipality]
    counties: list[WellbeingCounty]


def employment_area_detail_on(area: EmploymentArea, day: datetime.date) -> EmploymentAreaDetail:
    composition = composition_on(day)
    member_ids = {m for m, a in composition.employment_area_of.items() if a == area.pk}
    return EmploymentAreaDetail(
        area=area,
        municipalities=list(Municipality.objects.filter(pk__in=member_ids).order_by("name_fi")),
        counties=list(
            WellbeingCounty.objects.filter(pk__in=composition.counties_of_employment_area(area.pk)).order_by("code")
        ),
    )


@dataclass(frozen=True)
class MunicipalityDetail:
    municipality: Municipality
    county: CountyMembership | None
    employment_area: EmploymentAreaMembership | None
    regional_council: RegionalCouncilMembership | None
    history: list[CountyMembership | EmploymentAreaMembership | RegionalCouncilMembership]


def municipality_detail_on(municipality: Municipality, day: datetime.date) -> MunicipalityDetail:
    memberships = {
        "county": list(CountyMembership.objects.filter(municipality=municipality).select_related("county")),
        "employment_area": list(
            EmploymentAreaMembership.objects.filter(municipality=municipality).select_related("employment_area")
        ),
        "regional_council": list(
            RegionalCouncilMembership.objects.filter(municipality=municipality).select_related("regional_council")
        ),
    }

    def valid(rows):
        return next((r for r in rows if r.valid_from <= day and (r.valid_to is None or r.valid_to > day)), None)

    history = sorted((r for rows in memberships.values() for r in rows), key=lambda r: (r.valid_from, r.pk))
    return MunicipalityDetail(
        municipality=municipality,
        county=valid(memberships["county"]),
        employment_area=valid(memberships["employment_area"]),
        regional_council=valid(memberships["regional_council"]),
        history=history,
    )


EXPORT_HEADER = [
    "municipality_code",
    "municipality_name_fi",
    "county_code",
    "employment_area_code",
    "regional_council_code",
]


def area_export_rows_on(day: datetime.date) -> list[list[str]]:
    """One row per municipality existing on ``day``, in code order, for ``export_areas``."""
    composition = composition_on(day)
    codes = {
        "county": dict(WellbeingCounty.objects.values_list("pk", "code")),
        "area": dict(EmploymentArea.objects.values_list("pk", "code")),
        "council": dict(RegionalCouncil.objects.values_list("pk", "code")),
    }
    return [
        [
            m.code,
            m.name_fi,
            codes["county"].get(composition.county_of.get(m.pk), ""),
            codes["area"].get(composition.employment_area_of.get(m.pk), ""),
            codes["council"].get(composition.regional_council_of.get(m.pk), ""),
        ]
        for m in municipalities_existing_on(day).order_by("code").only("pk", "code", "name_fi")
    ]


def organisation_roles(organisation) -> QuerySet:
    """The organisation's members and their roles, for those allowed to see them."""
    from users.models import OrganisationRole

    return (
        OrganisationRole.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )


def county_municipalities_on(county: WellbeingCounty, day: datetime.date) -> QuerySet[Municipality]:
    """The municipalities of ``county`` on ``day``, by name."""
    return Municipality.objects.filter(
        pk__in=CountyMembership.objects.valid_on(day).filter(county=county).values("municipality")
    ).order_by("name_fi")


def county_regional_councils_on(county: WellbeingCounty, day: datetime.date) -> QuerySet[RegionalCouncil]:
    members = CountyMembership.objects.valid_on(day).filter(county=county).values("municipality")
    return RegionalCouncil.objects.filter(
        pk__in=RegionalCouncilMembership.objects.valid_on(day)
        .filter(municipality__in=members)
        .values("regional_council")
    ).order_by("code")
