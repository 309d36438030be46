"""The TYM pages: the county overview, a group's page and the forms to set up a group and name members."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import EmploymentArea, WellbeingCounty
from tests.conftest import make_user
from tym import services
from tym.models import GroupMember, SteeringGroup

pytestmark = pytest.mark.postgres
START = datetime.date(2025, 1, 1)


@pytest.fixture
def erin(areas):
    """An official of the Tampereen seutu employment authority."""
    return make_user("erin", EmploymentArea.objects.get(code="39"))


@pytest.fixture
def helsinki_official(areas):
    """An official of the Helsinki employment authority, in another county."""
    return make_user("hanna", EmploymentArea.objects.get(code="08"))


def test_an_official_sets_up_a_group_and_names_a_member_through_the_forms(client, erin, english):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(erin)
    response = client.post(
        reverse("tym:group_create", args=["08"]),
        {
            "name": "Tampereen seudun TYM-johtoryhmä",
            "employment_areas": [EmploymentArea.objects.get(code="39").pk],
            "term_start": "1.1.2025",
        },
    )
    group = SteeringGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tym:group", args=[group.pk])
    assert group.term_end == datetime.date(2030, 1, 1) and group.created_by == erin
    # A member without a personal deputy: the form again, the error next to the deputy's name.
    data = {
        "organisation": group.county_id,
        "role": GroupMember.Role.VICE_CHAIR,
        "person_name": "Maija Meikäläinen",
        "title": "palvelujohtaja",
        "valid_from": "1.2.2025",
    }
    response = client.post(reverse("tym:member_add", args=[group.pk]), data)
    assert response.status_code == 200
    assert "deputy_name" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        reverse("tym:member_add", args=[group.pk]),
        {**data, "deputy_name": "Matti Varanen", "deputy_title": "päällikkö"},
    )
    assert response.status_code == 302
    page = client.get(reverse("tym:county", args=["08"])).content.decode()
    assert "Maija Meikäläinen" in page and "Matti Varanen" in page
    assert "Not covered" in page  # Läntinen Pirkanmaa and Eteläinen Keski-Suomi have no group yet


def test_a_rule_broken_in_the_group_form_is_shown_next_to_its_field(client, erin, english):
    client.force_login(erin)
    areas = [EmploymentArea.objects.get(code=c).pk for c in ("39", "21")]
    response = client.post(
        reverse("tym:group_create", args=["08"]), {"name": "Kaksi", "employment_areas": areas, "term_start": "1.1.2025"}
    )
    assert response.status_code == 200 and "lead_authority" in response.context["form"].errors
    assert not SteeringGroup.objects.exists()


def test_another_countys_official_gets_403_on_the_forms_and_reads_the_overview(client, carol, helsinki_official):
    group = services.steering_group_create(
        county=WellbeingCounty.objects.get(code="08"),
        name="Tampereen seutu",
        employment_areas=[EmploymentArea.objects.get(code="39")],
        term_start=START,
        by=carol,
    )
    client.force_login(helsinki_official)
    assert client.get(reverse("tym:group_create", args=["08"])).status_code == 403
    assert client.get(reverse("tym:negotiation_add", args=["08"])).status_code == 403
    assert client.post(reverse("tym:member_add", args=[group.pk]), {}).status_code == 403
    assert client.get(reverse("tym:county", args=["08"])).status_code == 200
    assert client.get(reverse("tym:group_create", args=["90"])).status_code == 200


def test_the_overview_s_queries_do_not_grow_with_groups_and_members(client, carol):
    county = WellbeingCounty.objects.get(code="08")
    client.force_login(carol)
    url = reverse("tym:county", args=["08"]) + "?on=2025-06-01"

    def add_group(code):
        group = services.steering_group_create(
            county=county,
            name=code,
            employment_areas=[EmploymentArea.objects.get(code=code)],
            term_start=START,
            by=carol,
        )
        for n in range(3):
            services.group_member_add(
                group=group,
                organisation=county,
                role=GroupMember.Role.MEMBER,
                person_name=f"P{n}",
                title="t",
                deputy_name="D",
                deputy_title="t",
                valid_from=START,
                by=carol,
            )

    add_group("39")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_group("21")
    add_group("06")
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(three) == len(one)


def test_the_home_page_links_an_authority_s_official_to_each_county_of_its_area(client, areas):
    official = make_user("eeva", EmploymentArea.objects.get(code="06"))  # Eteläinen Keski-Suomi: two counties
    client.force_login(official)
    page = client.get(reverse("home")).content.decode()
    assert reverse("tym:county", args=["08"]) in page and reverse("tym:county", args=["15"]) in page
    client.force_login(make_user("kalle", EmploymentArea.objects.get(code="17")))  # Kuopio
    page = client.get(reverse("home")).content.decode()
    assert reverse("tym:county", args=["13"]) in page and reverse("tym:county", args=["08"]) not in page
