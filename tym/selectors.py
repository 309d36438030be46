"""Reads of TYM steering groups, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from regions.models import EmploymentArea, Municipality, WellbeingCounty
from regions.selectors import Composition, composition_on
from tym.models import GroupMember, GroupNegotiation, GroupYearlyGoal, StaffingReview, SteeringGroup

# The order members are listed in: the chair first, the lead person and deputy last.
ROLE_ORDER = (
    GroupMember.Role.CHAIR,
    GroupMember.Role.VICE_CHAIR,
    GroupMember.Role.MEMBER,
    GroupMember.Role.LEAD_PERSON,
    GroupMember.Role.LEAD_DEPUTY,
)


def _operating_area_ids(group: SteeringGroup, composition: Composition) -> set[int]:
    area_ids = {area.pk for area in group.employment_areas.all()}
    return {
        m
        for m, area in composition.employment_area_of.items()
        if area in area_ids and composition.county_of.get(m) == group.county_id
    }


def operating_area_on(group: SteeringGroup, day: datetime.date) -> list[Municipality]:
    """The municipalities of the group's employment areas that lie in its county on ``day``."""
    ids = _operating_area_ids(group, composition_on(day))
    return list(Municipality.objects.filter(pk__in=ids).order_by("name_fi"))


def _groups(county: WellbeingCounty):
    seat = Case(*(When(role=role, then=Value(i)) for i, role in enumerate(ROLE_ORDER)), output_field=IntegerField())
    members = GroupMember.objects.select_related("organisation").order_by(seat, "valid_from", "person_name")
    return (
        SteeringGroup.objects.filter(county=county)
        .select_related("lead_authority", "county")
        .prefetch_related(
            Prefetch("employment_areas", queryset=EmploymentArea.objects.order_by("code")),
            Prefetch("members", queryset=members),
        )
    )


@dataclass(frozen=True)
class YearFollowUp:
    """A year of the group's work: its goals and its staffing review (if held)."""

    year: int
    goals: list[GroupYearlyGoal]
    review: StaffingReview | None


@dataclass
class GroupOnDay:
    group: SteeringGroup
    day: datetime.date
    municipalities: list[Municipality] = field(default_factory=list)
    agreements: list = field(default_factory=list)  # those the reader may see (``visible_agreements``)
    years: list[YearFollowUp] = field(default_factory=list)

    @property
    def current_members(self) -> list[GroupMember]:
        return [m for m in self.group.members.all() if m.valid_from <= self.day < m.valid_until]


@dataclass(frozen=True)
class CountyOverview:
    county: WellbeingCounty
    day: datetime.date
    groups: list[GroupOnDay]
    negotiations: list[GroupNegotiation]
    most_groups: int
    uncovered: list[Municipality]
    covered_twice: list[tuple[Municipality, list[SteeringGroup]]]

    @property
    def has_no_group(self) -> bool:
        return not self.groups

    @property
    def too_many_groups(self) -> bool:
        return len(self.groups) > self.most_groups


def group_on(group: SteeringGroup, day: datetime.date) -> GroupOnDay:
    """The group on ``day`` with its operating area, and its yearly goals and staffing reviews by
    year, the latest first."""
    group = (
        _groups(group.county)
        .prefetch_related(
            Prefetch("yearly_goals", queryset=GroupYearlyGoal.objects.order_by("year", "position")),
            Prefetch("staffing_reviews", queryset=StaffingReview.objects.select_related("recorded_by")),
        )
        .get(pk=group.pk)
    )
    ids = _operating_area_ids(group, composition_on(day))
    goals: dict[int, list[GroupYearlyGoal]] = {}
    for goal in group.yearly_goals.all():
        goals.setdefault(goal.year, []).append(goal)
    reviews = {review.year: review for review in group.staffing_reviews.all()}
    years = [
        YearFollowUp(year=year, goals=goals.get(year, []), review=reviews.get(year))
        for year in sorted(goals.keys() | reviews.keys(), reverse=True)
    ]
    return GroupOnDay(group=group, municipalities=list(Municipality.objects.filter(pk__in=ids)), day=day, years=years)


def county_overview_on(county: WellbeingCounty, day: datetime.date) -> CountyOverview:
    """The county's groups in term on ``day`` with their areas and members, and the coverage flags.

    Groups of one county never look at another's municipalities: an employment area spanning two
    counties takes part in a group of each, each covering its own county's part.
    """
    composition = composition_on(day)
    in_county = composition.members_of_county(county.pk)
    municipalities = {m.pk: m for m in Municipality.objects.filter(pk__in=in_county).order_by("name_fi")}
    groups = [g for g in _groups(county) if g.in_term_on(day)]
    covering: dict[int, list[SteeringGroup]] = {}
    entries = []
    for group in groups:
        ids = _operating_area_ids(group, composition)
        for m in ids:
            covering.setdefault(m, []).append(group)
        entries.append(
            GroupOnDay(
                group=group,
                municipalities=[municipalities[m] for m in sorted(ids, key=lambda i: municipalities[i].name_fi)],
                day=day,
            )
        )
    responsible = {composition.employment_area_of[m] for m in in_county if m in composition.employment_area_of}
    return CountyOverview(
        county=county,
        day=day,
        groups=entries,
        negotiations=list(GroupNegotiation.objects.filter(county=county)),
        most_groups=len(responsible),
        uncovered=[m for pk, m in municipalities.items() if pk not in covering],
        covered_twice=[(m, covering[pk]) for pk, m in municipalities.items() if len(covering.get(pk, ())) > 1],
    )


def home_counties(*, user) -> list[WellbeingCounty] | None:
    """For the home page: the counties whose TYM groups the user's county or employment authority is in.

    Two queries whatever the number of roles; ``None`` (no section) for everyone else.
    """
    from users.models import OrganisationRole

    ids = set(
        OrganisationRole.objects.filter(
            user=user, organisation__kind__in=["county", "employment_authority"]
        ).values_list("organisation_id", flat=True)
    )
    if not ids:
        return None
    counties = WellbeingCounty.objects.filter(
        Q(pk__in=ids)
        | Q(
            memberships__valid_to__isnull=True,
            memberships__municipality__employment_area_memberships__valid_to__isnull=True,
            memberships__municipality__employment_area_memberships__employment_area_id__in=ids,
        )
    )
    return list(counties.distinct().order_by("code")) or None


def visible_agreements(user, groups) -> dict[int, list]:
    """The TYM agreements of ``groups`` that ``user`` may see, by group id: one query whatever the
    number of groups and agreements (``agreements.permissions.visible_agreement_ids``)."""
    from agreements.permissions import visible_agreement_ids
    from tym.models import TymAgreement

    rows = (
        TymAgreement.objects.filter(group__in=[g.pk for g in groups], agreement__in=visible_agreement_ids(user))
        .select_related("agreement")
        .order_by("agreement__valid_from", "agreement__series_id", "agreement__edition", "agreement__pk")
    )
    found: dict[int, list] = {g.pk: [] for g in groups}
    for row in rows:
        found[row.group_id].append(row.agreement)
    return found
