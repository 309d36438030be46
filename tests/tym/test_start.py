"""Starting a steering group's TYM agreement from the group's page, and the group's agreements there."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from tests.tym.builders import group_with_members, tym_agreement

pytestmark = pytest.mark.postgres


@pytest.fixture
def group(who):
    return group_with_members(who["coordinator"])


def fi(day: datetime.date) -> str:
    return f"{day:%-d.%-m.%Y}"


def test_an_authority_s_official_starts_the_agreement_with_the_term_as_its_validity(client, who, group):
    client.force_login(who["drafter"])
    page = client.get(reverse("tym:group", args=[group.pk])).content.decode()
    start = reverse("tym:agreement_start", args=[group.pk])
    assert f'href="{start}"' in page

    form = client.get(start).content.decode()
    valid_from = max(group.term_start, timezone.localdate())
    assert f'value="{fi(valid_from)}"' in form and f'value="{fi(group.term_end - datetime.timedelta(days=1))}"' in form
    response = client.post(
        start,
        {
            "title": "Tampereen seudun TYM-sopimus",
            "language": "sv",
            "valid_from": "1.1.2026",
            "valid_until": "31.12.2029",
        },
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("agreements:detail", args=[agreement.pk])
    assert (agreement.kind, agreement.title, agreement.language) == ("tym", "Tampereen seudun TYM-sopimus", "sv")
    assert (agreement.valid_from, agreement.valid_until) == (datetime.date(2026, 1, 1), datetime.date(2029, 12, 31))
    assert agreement.tym.group == group
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"valid_until": "31.12.2030"}, "valid_until"),  # past the group's term
        ({"valid_from": "32.1.2026"}, "valid_from"),  # not a date
        ({"title": ""}, "title"),
    ],
)
def test_errors_are_shown_next_to_their_fields(client, who, group, data, field):
    client.force_login(who["drafter"])
    good = {"title": "TYM-sopimus", "language": "fi", "valid_from": "1.1.2026", "valid_until": "31.12.2029"}

    response = client.post(reverse("tym:agreement_start", args=[group.pk]), {**good, **data})

    assert response.status_code == 200 and list(response.context["form"].errors) == [field]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and re.search(f'aria-describedby="[^"]*id_{field}_error"', html)
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("name", ["coordinator", "kela", "other_drafter", "municipal"])
def test_only_the_group_s_authorities_start_one(client, who, group, name):
    client.force_login(who[name])
    assert client.get(reverse("tym:agreement_start", args=[group.pk])).status_code == 403
    assert client.post(reverse("tym:agreement_start", args=[group.pk]), {"title": "x"}).status_code == 403
    page = client.get(reverse("tym:group", args=[group.pk])).content.decode()
    assert reverse("tym:agreement_start", args=[group.pk]) not in page


def test_the_group_s_page_lists_the_agreements_its_reader_may_see(client, who, group):
    agreement = tym_agreement(group, who["drafter"], title="Tampereen seudun TYM-sopimus 2026–2029")
    url = reverse("tym:group", args=[group.pk])
    for name in ("drafter", "coordinator", "kela"):
        client.force_login(who[name])
        page = client.get(url).content.decode()
        assert reverse("agreements:detail", args=[agreement.pk]) in page and "2026–2029" in page
    for name in ("other_coordinator", "municipal"):  # the group is public, its draft agreement is not
        client.force_login(who[name])
        page = client.get(url).content.decode()
        assert reverse("agreements:detail", args=[agreement.pk]) not in page


def test_the_group_s_page_reads_its_agreements_in_a_fixed_number_of_queries(client, who, group):
    client.force_login(who["drafter"])
    url = reverse("tym:group", args=[group.pk])
    tym_agreement(group, who["drafter"], title="Yksi")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for title in ("Kaksi", "Kolme"):
        tym_agreement(group, who["drafter"], title=title)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert all(title in page for title in ("Yksi", "Kaksi", "Kolme"))
    assert len(three) == len(one)


def test_the_county_overview_lists_each_groups_agreements_its_reader_may_see(client, who, group):
    second = group_with_members(who["coordinator"], areas=("21",), name="Läntinen Pirkanmaa")
    url = reverse("tym:county", args=["08"])
    client.force_login(who["coordinator"])
    tym_agreement(group, who["drafter"], title="Tampereen seudun sopimus")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    tym_agreement(second, who["other_drafter"], title="Läntisen Pirkanmaan sopimus")
    tym_agreement(group, who["drafter"], title="Toinen sopimus")
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert all(t in page for t in ("Tampereen seudun sopimus", "Läntisen Pirkanmaan sopimus", "Toinen sopimus"))
    assert len(three) == len(one)
    client.force_login(who["other_coordinator"])  # the groups are public, their draft agreements are not
    page = client.get(url).content.decode()
    assert "Tampereen seudun sopimus" not in page and "Läntinen Pirkanmaa" in page
