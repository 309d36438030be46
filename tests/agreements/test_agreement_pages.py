import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Theme
from agreements.services import agreement_start, comment_add, comment_resolve, section_save
from regions.models import Municipality, WellbeingCounty
from tests.agreements.factories import start_strategic


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def busy(agreement: Agreement, user, saves: int, comments: int) -> None:
    section = agreement.sections.get(key="2")
    for n in range(saves):
        section_save(section=section, text=f"<p>{n}</p>", base_version=n, by=user)
    for n in range(comments):
        thread = comment_add(section=section, text=f"Kommentti {n}", by=user)
        comment_add(section=section, text="Vastaus", by=user, parent=thread)
        if n % 2:
            comment_resolve(comment=thread, by=user)


@pytest.fixture
def small_and_large(carol):
    small = agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title="Pieni",
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code="837"),
        main_theme=Theme.HOUSING,
    )
    large = agreement_start(by=carol, county=WellbeingCounty.objects.get(code="08"), title="Suuri")
    busy(small, carol, saves=1, comments=1)
    busy(large, carol, saves=12, comments=8)
    return small, large


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("agreements:detail", lambda a: [a.pk]),
        ("agreements:parties", lambda a: [a.pk]),
        ("agreements:section", lambda a: [a.pk, "2"]),
        ("agreements:section_history", lambda a: [a.pk, "2"]),
    ],
)
def test_agreement_pages_run_the_same_queries_for_2_or_24_parties(client, carol, small_and_large, name, args):
    small, large = small_and_large
    client.force_login(carol)
    small_url, large_url = reverse(name, args=args(small)), reverse(name, args=args(large))

    # The first view renders everything; a second one may come from the page cache: both are fixed.
    assert count_queries(client, small_url) == count_queries(client, large_url)
    assert count_queries(client, small_url) == count_queries(client, large_url)


def test_agreement_lists_run_the_same_queries_for_1_or_4_agreements(client, carol, small_and_large):
    client.force_login(carol)
    one = count_queries(client, reverse("agreements:list"))
    for _ in range(2):
        start_strategic("90")  # invisible to carol: must not change anything
        agreement_start(by=carol, county=WellbeingCounty.objects.get(code="08"), title="Lisää")

    assert count_queries(client, reverse("agreements:list")) == one
    assert count_queries(client, reverse("agreements:county", args=["08"])) <= one + 1


def test_the_overview_shows_parties_open_comments_and_the_timeline(client, carol, small_and_large):
    _small, large = small_and_large
    client.force_login(carol)

    html = client.get(reverse("agreements:detail", args=[large.pk]), headers={"accept-language": "en"}).content.decode()

    assert "24 parties" in html
    assert "4 open comments" in html
    assert "Agreement started" in html and "Comment resolved" in html


def test_my_agreements_lists_only_what_i_may_see(client, alice, small_and_large):
    start_strategic("90")
    client.force_login(alice)

    html = client.get(reverse("agreements:list")).content.decode()

    assert len(re.findall(r'href="/agreements/\d+/"', html)) == 2  # Pieni and Suuri, not Helsinki's


def test_autosave_answers_json_with_the_new_version(client, alice):
    agreement = start_strategic()
    client.force_login(alice)
    url = reverse("agreements:section_save", args=[agreement.pk, "2"])

    response = client.post(
        url, {"text": "<p>Hei</p>", "base_version": 0}, headers={"x-requested-with": "fetch", "accept-language": "en"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "saved"
    assert response.json()["version"] == 1
    assert response.json()["history"] == "History: 1 version"  # for the page's link to the history


def test_a_stale_autosave_gets_409_and_the_conflict_page_shows_both_texts(client, alice, bob):
    agreement = start_strategic()
    section = agreement.sections.get(key="2")
    section_save(section=section, text="<p>Bobin teksti</p>", base_version=0, by=bob)
    client.force_login(alice)

    response = client.post(
        reverse("agreements:section_save", args=[agreement.pk, "2"]),
        {"text": "<p>Alicen teksti</p>", "base_version": 0},
        headers={"x-requested-with": "fetch"},
    )

    assert response.status_code == 409
    body = json.loads(response.content)
    page = client.get(body["conflict_url"]).content.decode()
    assert "Bobin teksti" in page and "Alicen teksti" in page
    assert 'name="base_version" value="1"' in page
    merged = client.post(
        reverse("agreements:section_save", args=[agreement.pk, "2"]),
        {"text": "<p>Bobin ja Alicen teksti</p>", "base_version": 1, "resolves_conflict": "on"},
    )
    assert merged.status_code == 302
    section.refresh_from_db()
    assert section.text == "<p>Bobin ja Alicen teksti</p>"
    assert section.versions.get(number=2).resolved_conflict


def test_without_javascript_a_stale_save_lands_on_the_conflict_page(client, alice, bob):
    agreement = start_strategic()
    section_save(section=agreement.sections.get(key="2"), text="<p>Bob</p>", base_version=0, by=bob)
    client.force_login(alice)

    response = client.post(
        reverse("agreements:section_save", args=[agreement.pk, "2"]), {"text": "<p>Alice</p>", "base_version": 0}
    )

    assert response.status_code == 302
    assert response.url == reverse("agreements:section_conflict", args=[agreement.pk, "2"])


def test_history_shows_a_readable_diff(client, alice):
    agreement = start_strategic()
    section = agreement.sections.get(key="2")
    section_save(section=section, text="<p>Yhteinen tavoite on hyvinvointi</p>", base_version=0, by=alice)
    section_save(section=section, text="<p>Yhteinen tavoite on asukkaiden hyvinvointi</p>", base_version=1, by=alice)
    client.force_login(alice)

    html = client.get(
        reverse("agreements:section_history", args=[agreement.pk, "2"]), {"a": 1, "b": 2}
    ).content.decode()

    assert "<ins>asukkaiden</ins>" in html
    assert "Yhteinen tavoite on" in html


def test_autosaves_after_a_merge_are_ordinary_versions(client, alice, bob):
    agreement = start_strategic()
    section_save(section=agreement.sections.get(key="2"), text="<p>Bob</p>", base_version=0, by=bob)
    client.force_login(alice)
    url = reverse("agreements:section_save", args=[agreement.pk, "2"])
    client.post(url, {"text": "<p>Alice</p>", "base_version": 0})

    for n, text in enumerate(["<p>Bob ja Alice</p>", "<p>Bob ja Alice!</p>"]):
        client.post(
            url,
            {"text": text, "base_version": 1 + n, "resolves_conflict": "True"},
            headers={"x-requested-with": "fetch"},
        )

    flags = list(
        agreement.sections.get(key="2").versions.order_by("number").values_list("resolved_conflict", flat=True)
    )
    assert flags == [False, True, False]


def test_the_section_page_shows_twenty_discussions_a_page_open_ones_newest_first(client, alice):
    agreement = start_strategic()
    section = agreement.sections.get(key="2")
    threads = [comment_add(section=section, text=f"Keskustelu {n}", by=alice) for n in range(25)]
    comment_resolve(comment=threads[24], by=alice)
    client.force_login(alice)
    url = reverse("agreements:section", args=[agreement.pk, "2"])

    first = client.get(url, headers={"accept-language": "en"}).content.decode()
    second = client.get(url, {"comments": 2}, headers={"accept-language": "en"}).content.decode()

    shown = re.findall(r"Keskustelu (\d+)", first)
    assert shown == [str(n) for n in range(23, 3, -1)]
    assert re.findall(r"Keskustelu (\d+)", second) == ["3", "2", "1", "0", "24"]
    assert 'rel="next" href="?comments=2#comments"' in first and 'rel="prev" href="?comments' not in first
    assert 'rel="prev" href="?comments=1#comments"' in second and 'rel="next" href="?comments' not in second
