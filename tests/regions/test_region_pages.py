import re

import pytest
from django.test import Client
from django.urls import reverse

from regions.models import Municipality


def get(client: Client, url: str, language: str = "fi", **params):
    response = client.get(url, params, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("language", "title", "helsinki"),
    [
        ("fi", "Hyvinvointialueet", "Helsingin kaupunki"),
        ("sv", "Välfärdsområden", "Helsingfors stad"),
        ("en", "Wellbeing services counties", "City of Helsinki"),
    ],
)
def test_county_list_shows_all_22_organisers_with_their_counts(client, areas, language, title, helsinki):
    html = get(client, reverse("regions:county_list"), language)

    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert html.count('href="/regions/counties/') == 22
    page = text(html)
    assert re.search(rf"08 {re.escape('Pirkanmaan hyvinvointialue' if language == 'fi' else '')}", page)
    assert f" 90 {helsinki} 1 1 " in page


def test_county_list_counts_pirkanmaa_municipalities_and_employment_areas(client, areas):
    page = text(get(client, reverse("regions:county_list")))

    assert " 08 Pirkanmaan hyvinvointialue 23 3 " in page
    assert " 21 Lapin hyvinvointialue 21 4 " in page


@pytest.mark.parametrize(
    ("language", "municipalities", "area", "badge"),
    [
        ("fi", "23 kuntaa", "Eteläinen Keski-Suomi", "Kahdella hyvinvointialueella"),
        ("sv", "23 kommuner", "Södra mellersta Finland", "I två välfärdsområden"),
        ("en", "23 municipalities", "Eteläinen Keski-Suomi", "Spans two counties"),
    ],
)
def test_county_page_lists_municipalities_and_marks_the_area_spanning_two_counties(
    client, areas, language, municipalities, area, badge
):
    html = get(client, reverse("regions:county_detail", args=["08"]), language)
    page = text(html)

    assert municipalities in page
    assert html.count('href="/regions/municipalities/') == 23
    assert html.count('class="badge"') == 1
    assert f"{area} {badge}" in page
    assert "Pirkanmaan liitto" in page


def test_municipality_page_shows_county_employment_area_and_language(client, areas):
    page = text(get(client, reverse("regions:municipality_detail", args=["049"]), "en"))

    assert "Espoo" in page and "Esbo" in page
    assert "Bilingual, Finnish majority" in page
    assert "West Uusimaa wellbeing services county" in page
    assert "Espoo-Kauniainen" in page


def test_aland_municipality_page_says_it_has_no_county(client, areas):
    page = text(get(client, reverse("regions:municipality_detail", args=["478"]), "en"))

    assert "None: Åland organises these services itself" in page


def test_a_past_day_shows_the_composition_of_that_day(client, areas):
    page = text(get(client, reverse("regions:county_list"), "en", on="2024-06-01"))

    assert " 08 Pirkanmaa wellbeing services county 0 0 " in page


def test_a_malformed_day_is_explained_next_to_the_field(client, areas):
    html = get(client, reverse("regions:county_list"), "en", on="yesterday")

    assert 'aria-invalid="true"' in html
    assert "Enter a valid date." in text(html)


@pytest.mark.parametrize(
    "url", ["/regions/counties/99/", "/regions/municipalities/999/", "/regions/employment-areas/99/"]
)
def test_an_unknown_code_is_404(client, areas, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "small", "large"),
    [
        ("regions:county_detail", "90", "08"),  # Helsinki: 1 municipality; Pirkanmaa: 23
        ("regions:employment_area_detail", "19", "39"),  # Helsinki alone; Tampereen seutu: 8
        ("regions:municipality_detail", "091", "837"),
    ],
)
def test_region_pages_run_the_same_queries_whatever_their_size(
    client, areas, django_assert_num_queries, name, small, large
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name, args=[small]))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse(name, args=[large]))
    assert len(few.captured_queries) <= 8


def test_county_list_runs_a_fixed_number_of_queries(client, areas, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get(reverse("regions:county_list"))


def test_municipality_names_follow_the_language(client, areas):
    assert Municipality.objects.get(code="091").name_sv == "Helsingfors"
    page = text(get(client, reverse("regions:county_detail", args=["90"]), "sv"))

    assert "Helsingfors" in page


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("fi", "Vastuukunta Tampere – päätelty: alueen suurin kunta"),
        ("sv", "Ansvarskommun Tammerfors – härledd: områdets största kommun"),
        ("en", "Responsible municipality Tampere – inferred: the area's largest municipality"),
    ],
)
def test_employment_area_page_says_plainly_that_its_responsible_municipality_was_inferred(
    client, areas, language, says
):
    page = text(get(client, reverse("regions:employment_area_detail", args=["39"]), language))

    assert says in page.replace("&#x27;", "'")
    assert "((" not in page and "))" not in page
