"""A steering group's yearly goals and its yearly staffing review: the rules, the forms, the page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regions.models import EmploymentArea, Organisation, WellbeingCounty
from tests.conftest import make_user
from tym import services
from tym.models import GroupYearlyGoal, StaffingReview

pytestmark = pytest.mark.postgres
START = datetime.date(2025, 1, 1)


@pytest.fixture
def group(areas, carol):
    return services.steering_group_create(
        county=WellbeingCounty.objects.get(code="08"),
        name="Tampereen seutu",
        employment_areas=[EmploymentArea.objects.get(code="39")],
        term_start=START,
        by=carol,
    )


def review(group, by, **kwargs) -> StaffingReview:
    values = {
        "year": 2025,
        "reviewed_on": datetime.date(2025, 11, 20),
        "sufficient": True,
        "findings": "Henkilöstö riittää asiakasmäärään.",
    }
    values.update(kwargs)
    return services.staffing_review_record(group=group, by=by, **values)


def errors_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def test_goals_are_listed_in_the_order_recorded_each_year(group, erin):
    first = services.group_goal_add(group=group, year=2025, goal="Palveluun ohjautuu 300 asiakasta.", by=erin)
    second = services.group_goal_add(
        group=group, year=2025, goal="Suunnitelma kolmessa kuukaudessa.", national_goal="Työllisyysaste", by=erin
    )
    next_year = services.group_goal_add(group=group, year=2026, goal="Uusi", by=erin)
    assert (first.position, second.position, next_year.position) == (1, 2, 1)
    assert second.national_goal == "Työllisyysaste" and first.created_by == erin


def test_the_goal_rules_each_fail_alone(group, erin):
    for kwargs, field in [({"year": 2024}, "year"), ({"year": 2030}, "year"), ({"goal": "  "}, "goal")]:
        with pytest.raises(ValidationError) as excinfo:
            services.group_goal_add(group=group, by=erin, **{"year": 2025, "goal": "Tavoite", **kwargs})
        assert errors_of(excinfo) == {field}, kwargs
    # The term's last year (1.1.2025–31.12.2029) is still in it.
    services.group_goal_add(group=group, year=2029, goal="Viimeinen", by=erin)


def test_one_staffing_review_a_year_within_the_term(group, carol):
    done = review(group, carol, reviewed_on=datetime.date(2026, 1, 15))  # early the next year is fine
    assert done.recorded_by == carol and done.sufficient
    with pytest.raises(ValidationError) as excinfo:
        review(group, carol, reviewed_on=datetime.date(2025, 12, 1))
    assert errors_of(excinfo) == {"year"}
    with pytest.raises(ValidationError) as excinfo:
        review(group, carol, year=2031, reviewed_on=datetime.date(2025, 12, 1))
    assert errors_of(excinfo) == {"year"}
    assert review(group, carol, year=2026, reviewed_on=datetime.date(2026, 6, 1)).year == 2026


def test_the_review_rules_each_fail_alone(group, carol):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    cases = [
        ({"sufficient": False}, "actions"),  # insufficient: say what is done
        ({"findings": ""}, "findings"),
        ({"reviewed_on": datetime.date(2024, 12, 31)}, "reviewed_on"),  # before the year and the term
        ({"year": tomorrow.year, "reviewed_on": tomorrow}, "reviewed_on"),  # in the future
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            review(group, carol, **kwargs)
        assert errors_of(excinfo) == {field}, kwargs
    found = review(group, carol, sufficient=False, actions="Lisätään kaksi henkilötyövuotta; sopimusta muutetaan.")
    assert not found.sufficient and "sopimusta" in found.actions


def test_kela_and_others_record_no_goals_or_reviews(group, alice, dave, areas):
    kelly = make_user("kelly", Organisation.objects.get(kind=Organisation.Kind.KELA))
    for user in (kelly, alice, dave):
        with pytest.raises(PermissionDenied):
            services.group_goal_add(group=group, year=2025, goal="x", by=user)
        with pytest.raises(PermissionDenied):
            review(group, user)
    assert not GroupYearlyGoal.objects.exists() and not StaffingReview.objects.exists()


def test_an_official_records_a_goal_and_a_review_through_the_forms(client, group, erin):
    client.force_login(erin)
    response = client.post(
        reverse("tym:goal_add", args=[group.pk]), {"year": "2025", "goal": "Kolmesataa asiakasta", "national_goal": ""}
    )
    assert response.status_code == 302 and response["Location"] == reverse("tym:group", args=[group.pk])
    url = reverse("tym:staffing_review_add", args=[group.pk])
    data = {"year": "2025", "reviewed_on": "20.11.2025", "sufficient": "no", "findings": "Liian vähän", "actions": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and "actions" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, {**data, "actions": "Lisätään resurssia, sopimusta muutetaan."})
    assert response.status_code == 302
    saved = StaffingReview.objects.get()
    assert saved.reviewed_on == datetime.date(2025, 11, 20) and not saved.sufficient
    page = client.get(reverse("tym:group", args=[group.pk]), headers={"accept-language": "en"}).content.decode()
    assert "Kolmesataa asiakasta" in page and "Lisätään resurssia" in page and "20.11.2025" in page


def test_the_group_page_shows_each_year_s_goals_and_review_in_a_fixed_number_of_queries(client, group, carol):
    client.force_login(carol)
    url = reverse("tym:group", args=[group.pk]) + "?on=2025-06-01"

    def add_year(year, goals):
        for n in range(goals):
            services.group_goal_add(group=group, year=year, goal=f"Tavoite {year}/{n}", by=carol)
        review(group, carol, year=year, reviewed_on=datetime.date(2025, 12, 1), findings=f"Katselmus {year}")

    add_year(2025, 1)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert "Tavoite 2025/0" in page and "Katselmus 2025" in page
    group.term_start = datetime.date(2023, 1, 1)  # earlier years for the second size
    group.save()
    add_year(2023, 3)
    add_year(2024, 3)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert len(three) == len(one)
    # The latest year first, each year under its own heading.
    assert page.index('id="year-2025"') < page.index('id="year-2024"') < page.index('id="year-2023"')
    assert page.index("Tavoite 2024/2") < page.index("Katselmus 2024") < page.index('id="year-2023"')
