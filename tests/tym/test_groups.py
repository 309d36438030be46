"""TYM steering groups: formation, the bound on their number, coverage, the member rules, permissions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regions.models import EmploymentArea, Organisation, WellbeingCounty
from tests.conftest import make_user
from tym import selectors, services
from tym.models import GroupMember
from users.models import Role

START = datetime.date(2025, 1, 1)
pytestmark = pytest.mark.postgres


@pytest.fixture
def pirkanmaa(areas):
    return WellbeingCounty.objects.get(code="08")


@pytest.fixture
def area():
    return lambda code: EmploymentArea.objects.get(code=code)


@pytest.fixture
def kela(areas):
    return Organisation.objects.get(kind=Organisation.Kind.KELA)


@pytest.fixture
def erin(areas):
    """An official of the Tampereen seutu employment authority."""
    return make_user("erin", EmploymentArea.objects.get(code="39"))


@pytest.fixture
def group(pirkanmaa, area, carol):
    return services.steering_group_create(
        county=pirkanmaa,
        name="Tampereen seutu ja Läntinen Pirkanmaa",
        employment_areas=[area("39"), area("21")],
        lead_authority=area("39"),
        term_start=START,
        by=carol,
    )


def errors_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def test_one_group_covers_several_areas_for_five_years(group, pirkanmaa):
    assert {a.code for a in group.employment_areas.all()} == {"39", "21"}
    assert group.lead_authority.code == "39"
    assert group.term_end == datetime.date(2030, 1, 1)
    names = {m.name_fi for m in selectors.operating_area_on(group, START)}
    assert {"Tampere", "Nokia"} <= names


def test_several_areas_need_a_lead_authority_among_them(pirkanmaa, area, carol):
    for lead in (None, area("06")):
        with pytest.raises(ValidationError) as excinfo:
            services.steering_group_create(
                county=pirkanmaa,
                name="Ryhmä",
                employment_areas=[area("39"), area("21")],
                lead_authority=lead,
                term_start=START,
                by=carol,
            )
        assert errors_of(excinfo) == {"lead_authority"}


def test_a_cross_county_area_takes_part_in_a_group_of_each_county(pirkanmaa, area, carol):
    keski_suomi = WellbeingCounty.objects.get(code="15")
    coordinator = make_user("kaisa", keski_suomi, Role.COORDINATOR)
    south = area("06")
    in_pirkanmaa = services.steering_group_create(
        county=pirkanmaa, name="Eteläinen Keski-Suomi (Pirkanmaa)", employment_areas=[south], term_start=START, by=carol
    )
    in_keski_suomi = services.steering_group_create(
        county=keski_suomi, name="Eteläinen Keski-Suomi", employment_areas=[south], term_start=START, by=coordinator
    )
    here = {m.pk for m in selectors.operating_area_on(in_pirkanmaa, START)}
    there = {m.pk for m in selectors.operating_area_on(in_keski_suomi, START)}
    assert here and there and not here & there  # each covers its own county's part
    # An area of neither county is refused, naming the field.
    with pytest.raises(ValidationError) as excinfo:
        services.steering_group_create(
            county=pirkanmaa, name="Kuopio", employment_areas=[area("17")], term_start=START, by=carol
        )
    assert errors_of(excinfo) == {"employment_areas"}


def test_a_county_has_at_most_as_many_groups_as_employment_authorities(pirkanmaa, area, carol):
    for code in ("39", "21", "06"):
        services.steering_group_create(
            county=pirkanmaa, name=f"Ryhmä {code}", employment_areas=[area(code)], term_start=START, by=carol
        )
    with pytest.raises(ValidationError) as excinfo:
        services.steering_group_create(
            county=pirkanmaa, name="Neljäs", employment_areas=[area("39")], term_start=START, by=carol
        )
    assert errors_of(excinfo) == {"employment_areas"}
    # A negotiation agreeing on more groups than that, or none, is refused too.
    for count in (0, 4):
        with pytest.raises(ValidationError) as excinfo:
            services.negotiation_record(
                county=pirkanmaa, held_on=START, participants="x", outcome="y", group_count=count, by=carol
            )
        assert errors_of(excinfo) == {"group_count"}
    services.negotiation_record(
        county=pirkanmaa, held_on=START, participants="Pirkanmaa, TE, Kela", outcome="Kolme", group_count=3, by=carol
    )


def test_the_overview_flags_municipalities_uncovered_and_covered_twice(pirkanmaa, area, carol):
    overview = selectors.county_overview_on(pirkanmaa, START)
    assert overview.has_no_group and len(overview.uncovered) == len(overview.county.memberships.valid_on(START))
    services.steering_group_create(
        county=pirkanmaa,
        name="A",
        employment_areas=[area("39"), area("21")],
        lead_authority=area("39"),
        term_start=START,
        by=carol,
    )
    services.steering_group_create(
        county=pirkanmaa, name="B", employment_areas=[area("39")], term_start=START, by=carol
    )
    overview = selectors.county_overview_on(pirkanmaa, START)
    in_county = set(pirkanmaa.memberships.valid_on(START).values_list("municipality_id", flat=True))

    def of(code):
        return set(area(code).memberships.valid_on(START).values_list("municipality_id", flat=True)) & in_county

    assert {m.pk for m in overview.uncovered} == of("06")
    assert {m.pk for m, groups in overview.covered_twice} == of("39")
    assert all({g.name for g in groups} == {"A", "B"} for m, groups in overview.covered_twice)


def member(group, by, **kwargs):
    values = {
        "organisation": group.county,
        "role": GroupMember.Role.MEMBER,
        "person_name": "Maija Meikäläinen",
        "title": "johtaja",
        "deputy_name": "Matti Varanen",
        "deputy_title": "päällikkö",
        "valid_from": START,
    }
    values.update(kwargs)
    return services.group_member_add(group=group, by=by, **values)


def test_the_member_rules_each_fail_alone(group, area, kela, carol):
    Role_ = GroupMember.Role
    cases = [
        ({"role": Role_.CHAIR}, "organisation"),  # the chair represents an employment authority
        ({"role": Role_.VICE_CHAIR, "organisation": area("39")}, "organisation"),  # the vice-chair the county
        ({"deputy_name": ""}, "deputy_name"),  # every member has a deputy
        (
            {"role": Role_.LEAD_PERSON, "organisation": area("39"), "valid_until": datetime.date(2030, 6, 1)},
            "valid_until",
        ),
        ({"organisation": area("06")}, "organisation"),  # not an authority of this group
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            member(group, carol, **kwargs)
        assert errors_of(excinfo) == {field}, kwargs
    chair = member(group, carol, role=Role_.CHAIR, organisation=area("21"))
    member(group, carol, role=Role_.VICE_CHAIR)
    member(group, carol, organisation=kela)
    lead = member(group, carol, role=Role_.LEAD_PERSON, organisation=area("39"), deputy_name="", deputy_title="")
    assert chair.valid_until == lead.valid_until == group.term_end
    with pytest.raises(ValidationError) as excinfo:
        member(group, carol, role=Role_.CHAIR, organisation=area("39"))
    assert errors_of(excinfo) == {"role"}


def test_who_may_set_up_groups_and_name_members(group, pirkanmaa, area, erin, alice, dave, areas):
    helsinki = WellbeingCounty.objects.get(code="90")
    # Tampereen seutu's official sets up and names in Pirkanmaa, not in Helsinki (the authority's
    # own members: the county, which has a coordinator in the portal, names its own).
    assert services.permissions.can_set_up_group(erin, pirkanmaa)
    assert not services.permissions.can_set_up_group(erin, helsinki)
    member(group, erin, organisation=area("39"))
    # A municipality's official (Alice of Tampere) and another county's (Dave) may neither.
    for user in (alice, dave):
        assert not services.permissions.can_set_up_group(user, pirkanmaa)
        with pytest.raises(PermissionDenied):
            member(group, user)
    # An official of an area in the county but not in this group sets up groups, names no members here.
    other = make_user("otto", area("06"))
    assert services.permissions.can_set_up_group(other, pirkanmaa)
    assert not services.permissions.can_name_members(other, group)


def test_helsinki_names_both_the_chair_and_the_vice_chair_in_its_two_roles(areas, area):
    city = WellbeingCounty.objects.get(code="90")
    official = make_user("helena", area("08"))
    group = services.steering_group_create(
        county=city, name="Helsingin TYM-johtoryhmä", employment_areas=[area("08")], term_start=START, by=official
    )
    member(group, official, role=GroupMember.Role.CHAIR, organisation=area("08"))
    member(group, official, role=GroupMember.Role.VICE_CHAIR, organisation=city)
    overview = selectors.county_overview_on(city, START)
    assert not overview.uncovered and not overview.covered_twice
    assert [m.role for m in overview.groups[0].current_members] == ["chair", "vice_chair"]
