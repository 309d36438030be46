"""Who sets up TYM steering groups and names whose members: guardian permissions held by role groups.

Personas: Erin is an official of Tampereen seutu (an employment authority of Pirkanmaa and of the
group), Hanna of Helsinki's (another county), Carol coordinates Pirkanmaa, Kaisa Keski-Suomi, Kelly
is Kela's official and Pia an official (not a coordinator) of Pirkanmaa.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from regions.models import EmploymentArea, Organisation, WellbeingCounty
from tests.conftest import make_user
from tym import permissions, services
from tym.models import GroupMember, SteeringGroup, SteeringGroupGroupObjectPermission, SteeringGroupUserObjectPermission
from users.models import Role, User

pytestmark = pytest.mark.postgres
START = datetime.date(2025, 1, 1)


@pytest.fixture
def pirkanmaa(areas):
    return WellbeingCounty.objects.get(code="08")


@pytest.fixture
def area(areas):
    return lambda code: EmploymentArea.objects.get(code=code)


@pytest.fixture
def kela(areas):
    return Organisation.objects.get(kind=Organisation.Kind.KELA)


@pytest.fixture
def personas(areas, pirkanmaa, area, kela, carol, erin) -> dict[str, User]:
    return {
        "erin": erin,
        "hanna": make_user("hanna", area("08")),
        "carol": carol,
        "kaisa": make_user("kaisa", WellbeingCounty.objects.get(code="15"), Role.COORDINATOR),
        "kelly": make_user("kelly", kela),
        "pia": make_user("pia", pirkanmaa),
        "root": User.objects.create_superuser(username="root", password="correct horse battery staple"),
    }


def tampere_group(pirkanmaa, area, by) -> SteeringGroup:
    return services.steering_group_create(
        county=pirkanmaa, name="Tampereen seutu", employment_areas=[area("39")], term_start=START, by=by
    )


def name(group, by, organisation, **kwargs) -> GroupMember:
    values = {
        "role": GroupMember.Role.MEMBER,
        "person_name": "Maija Meikäläinen",
        "title": "johtaja",
        "deputy_name": "Matti Varanen",
        "deputy_title": "päällikkö",
        "valid_from": START,
    }
    values.update(kwargs)
    return services.group_member_add(group=group, organisation=organisation, by=by, **values)


@pytest.mark.parametrize(
    ("persona", "may"),
    [
        ("erin", True),
        ("carol", True),
        ("hanna", False),
        ("kaisa", False),
        ("kelly", False),
        ("pia", False),
        ("root", False),
    ],
)
def test_who_sets_up_groups_and_records_the_negotiation_in_pirkanmaa(personas, pirkanmaa, persona, may):
    user = personas[persona]
    assert permissions.can_set_up_group(user, pirkanmaa) is may
    assert permissions.can_record_negotiation(user, pirkanmaa) is may


def test_an_authority_sets_up_groups_only_in_a_county_where_it_has_a_municipality(personas, pirkanmaa, area):
    helsinki = WellbeingCounty.objects.get(code="90")
    assert permissions.can_set_up_group(personas["hanna"], helsinki)
    assert not permissions.can_set_up_group(personas["erin"], helsinki)
    # Eteläinen Keski-Suomi spans two counties: its official sets up groups in both.
    official = make_user("eeva", area("06"))
    assert permissions.can_set_up_group(official, pirkanmaa)
    assert permissions.can_set_up_group(official, WellbeingCounty.objects.get(code="15"))
    # An official who loses the role loses the right with it.
    from users.services import organisation_role_revoke

    organisation_role_revoke(user=official, organisation=area("06"), role=Role.OFFICIAL)
    assert not permissions.can_set_up_group(official, pirkanmaa)


@pytest.mark.parametrize(
    ("persona", "may"),
    [
        ("erin", True),
        ("carol", True),
        ("kelly", True),
        ("hanna", False),
        ("kaisa", False),
        ("pia", False),
        ("root", False),
    ],
)
def test_who_names_members_of_tampereen_seutu(personas, pirkanmaa, area, persona, may):
    group = tampere_group(pirkanmaa, area, personas["carol"])
    assert permissions.can_name_members(personas[persona], group) is may
    # Goals and staffing reviews: the group's county and employment authority, not Kela.
    assert permissions.can_record_follow_up(personas[persona], group) is (may and persona != "kelly")


def test_each_organisation_names_its_own_members(personas, pirkanmaa, area, kela):
    erin, carol, kelly = personas["erin"], personas["carol"], personas["kelly"]
    group = tampere_group(pirkanmaa, area, carol)
    assert not name(group, kelly, kela).entered_on_behalf  # Kela names Kela's member to any group
    assert not name(group, erin, area("39"), role=GroupMember.Role.CHAIR).entered_on_behalf
    assert not name(group, carol, pirkanmaa, role=GroupMember.Role.VICE_CHAIR).entered_on_behalf
    refused = [
        (kelly, pirkanmaa),  # Kela names no county member
        (kelly, area("39")),
        (erin, pirkanmaa),  # the county has its own coordinator in the portal
        (erin, kela),  # and Kela its own official
        (carol, area("39")),
        (carol, kela),
        (personas["hanna"], area("39")),  # another county's people name nobody here
        (personas["kaisa"], pirkanmaa),
        (personas["root"], pirkanmaa),
    ]
    for user, organisation in refused:
        with pytest.raises(PermissionDenied):
            name(group, user, organisation)
    assert [o.pk for o in permissions.organisations_named_by(kelly, group)] == [kela.pk]
    assert [o.pk for o in permissions.organisations_named_by(erin, group)] == [area("39").pk]


def test_the_group_enters_members_for_an_organisation_with_nobody_in_the_portal(pirkanmaa, area, kela, erin):
    group = tampere_group(pirkanmaa, area, erin)  # Pirkanmaa and Kela have no user yet
    assert name(group, erin, pirkanmaa, role=GroupMember.Role.VICE_CHAIR).entered_on_behalf
    assert name(group, erin, kela).entered_on_behalf
    assert {o.pk for o in permissions.organisations_named_by(erin, group)} == {pirkanmaa.pk, area("39").pk, kela.pk}
    # Once Kela has someone of its own, it names its members itself.
    make_user("kelly", kela)
    with pytest.raises(PermissionDenied):
        name(group, erin, kela)


def test_the_permissions_are_held_by_role_groups_so_someone_given_a_role_later_has_them(pirkanmaa, area, carol):
    group = tampere_group(pirkanmaa, area, carol)
    assert not SteeringGroupUserObjectPermission.objects.exists()
    assert SteeringGroupGroupObjectPermission.objects.filter(content_object=group).exists()
    newcomer = make_user("uusi", area("39"), Role.COORDINATOR)
    assert permissions.names_member_for(newcomer, group, area("39")) == "own"
    assert permissions.can_record_follow_up(newcomer, group)


def test_the_permissions_follow_the_groups_areas(pirkanmaa, area, carol, erin):
    group = tampere_group(pirkanmaa, area, carol)
    other = make_user("otto", area("21"))
    assert permissions.can_name_members(erin, group) and not permissions.can_name_members(other, group)
    group = services.steering_group_areas_change(group=group, employment_areas=[area("21")], by=carol)
    assert not permissions.can_name_members(erin, group) and permissions.can_name_members(other, group)
    assert group.lead_authority == area("21")
    # Kela keeps its own right, and the county its coordinators'.
    assert permissions.names_member_for(carol, group, pirkanmaa) == "own"


def test_changing_the_areas_is_for_those_who_set_up_the_countys_groups(pirkanmaa, area, carol, personas):
    group = tampere_group(pirkanmaa, area, carol)
    for persona in ("hanna", "kelly", "pia"):
        with pytest.raises(PermissionDenied):
            services.steering_group_areas_change(group=group, employment_areas=[area("21")], by=personas[persona])


def test_the_migration_grants_the_permissions_on_groups_set_up_before_them(pirkanmaa, area, erin, kela):
    group = SteeringGroup.objects.create(
        county=pirkanmaa,
        name="Vanha",
        lead_authority=area("39"),
        term_start=START,
        term_end=datetime.date(2030, 1, 1),
    )
    group.employment_areas.add(area("39"))
    assert not permissions.can_name_members(erin, group)
    migration = importlib.import_module("tym.migrations.0003_group_goals_reviews")
    migration.grant_on_existing_groups(apps, None)
    assert permissions.names_member_for(erin, group, area("39")) == "own"
    kelly = make_user("kelly", kela)  # Kela's role groups were made by the migration, with no users
    assert permissions.names_member_for(kelly, group, kela) == "own"
    assert permissions.can_set_up_group(kelly, pirkanmaa) is False
