"""A section's history: bursts of one person's autosaves are one entry, pages of 50, bounded queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import SectionVersion
from agreements.services import comment_add, section_restore, section_save
from tests.agreements.factories import bulk_versions, start_strategic


def save(section, text, by):
    section.refresh_from_db()
    return section_save(section=section, text=text, base_version=section.version, by=by)


def age(section, minutes: int) -> None:
    """Moves the section's versions ``minutes`` into the past, as if the writer had paused."""
    for version in section.versions.all():
        SectionVersion.objects.filter(pk=version.pk).update(
            created_at=version.created_at - datetime.timedelta(minutes=minutes)
        )


def history(client, section, **params):
    url = reverse("agreements:section_history", args=[section.agreement_id, section.key])
    return client.get(url, params, headers={"accept-language": "en"})


@pytest.fixture
def section(alice):
    return start_strategic().sections.get(key="2")


def test_a_persons_saves_minutes_apart_make_one_burst_and_another_person_starts_a_new_one(section, alice, bob):
    save(section, "<p>1</p>", alice)
    save(section, "<p>2</p>", alice)
    save(section, "<p>3</p>", alice)
    save(section, "<p>4</p>", bob)
    age(section, 20)
    save(section, "<p>5</p>", bob)

    starts = list(section.versions.order_by("number").values_list("starts_burst", flat=True))
    assert starts == [True, False, False, True, True]


def test_a_restore_is_an_entry_of_its_own(section, alice):
    save(section, "<p>1</p>", alice)
    save(section, "<p>2</p>", alice)
    section.refresh_from_db()
    section_restore(section=section, number=1, base_version=2, by=alice)
    save(section, "<p>4</p>", alice)

    starts = list(section.versions.order_by("number").values_list("starts_burst", flat=True))
    assert starts == [True, False, True, True]


def test_history_shows_a_burst_as_its_last_version_with_its_count(client, section, alice, bob):
    for n in range(1, 4):
        save(section, f"<p>Alicen versio {n}</p>", alice)
    save(section, "<p>Bobin versio</p>", bob)
    client.force_login(alice)

    html = history(client, section).content.decode()

    rows = re.findall(r'<th scope="row">(.*?)</th>', html, re.S)
    assert [re.sub(r"<[^>]+>", "", r).strip() for r in rows] == ["4", "3 (3 saves from version 1)"]
    assert "Restore version 3" in html and "Restore version 2" not in html
    # By default the page shows what the newest entry changed.
    assert "Changes from version 3 to version 4" in html


def test_any_two_versions_can_be_compared(client, section, alice, bob):
    save(section, "<p>Ensimmäinen</p>", alice)
    save(section, "<p>Toinen</p>", bob)
    save(section, "<p>Kolmas</p>", alice)
    client.force_login(alice)

    html = history(client, section, a=1, b=3).content.decode()

    assert "Changes from version 1 to version 3" in html
    assert "<del>Ensimmäinen</del>" in html and "<ins>Kolmas</ins>" in html


def test_an_impossible_version_number_falls_back_to_the_newest_changes(client, section, alice):
    save(section, "<p>Ensimmäinen</p>", alice)
    client.force_login(alice)

    response = history(client, section, a="x", b=99, before="-1")

    assert response.status_code == 200
    assert "Changes from version 0 to version 1" in response.content.decode()


def test_history_pages_through_the_bursts_fifty_at_a_time(client, section, alice, bob):
    bulk_versions(section, 120 * 3, [alice, bob], burst=3)  # 120 bursts of 3 saves
    client.force_login(alice)

    first = history(client, section).content.decode()
    entries = re.findall(r'<th scope="row">(\d+)', first)
    assert len(entries) == 50 and entries[0] == "360" and entries[-1] == "213"
    older = re.search(r'rel="next" href="\?before=(\d+)"', first).group(1)
    assert 'rel="prev"' not in first

    second = history(client, section, before=older).content.decode()
    entries = re.findall(r'<th scope="row">(\d+)', second)
    assert entries[0] == "210" and entries[-1] == "63"
    third = history(client, section, before=re.search(r'\?before=(\d+)">Older', second).group(1)).content.decode()
    entries = re.findall(r'<th scope="row">(\d+)', third)
    assert len(entries) == 20 and entries[-1] == "3"
    assert 'rel="next"' not in third
    newer = re.search(r'rel="prev" href="[^"?]*\?before=(\d+)"', third).group(1)
    assert newer == older
    back = re.search(r'rel="prev" href="([^"]+)"', second).group(1)
    assert back == reverse("agreements:section_history", args=[section.agreement_id, "2"])


def test_comparing_keeps_the_page_of_history(client, section, alice, bob):
    bulk_versions(section, 60 * 2, [alice, bob], burst=2)
    client.force_login(alice)

    html = history(client, section, before=21, a=3, b=110).content.decode()

    assert "Changes from version 3 to version 110" in html
    assert '<input type="hidden" name="before" value="21">' in html
    assert re.findall(r'<th scope="row">(\d+)', html)[0] == "20"


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_history_and_editor_run_the_same_queries_for_2_or_10000_versions(client, alice, bob, django_assert_num_queries):
    small = start_strategic().sections.get(key="2")
    large = start_strategic(title="Toinen").sections.get(key="2")
    bulk_versions(small, 2, [alice], burst=1)
    bulk_versions(large, 10_000, [alice, bob])
    for n in range(30):
        thread = comment_add(section=large, text=f"Kommentti {n}", by=alice)
        comment_add(section=large, text="Vastaus", by=alice, parent=thread)
    comment_add(section=small, text="Kommentti", by=alice)
    client.force_login(alice)

    def url(section, view, query=""):
        return reverse(view, args=[section.agreement_id, "2"]) + query

    for view, small_query, large_query in [
        ("agreements:section", "", ""),
        ("agreements:section_history", "", ""),
        ("agreements:section_history", "?before=2", "?before=5001"),
    ]:
        expected = count_queries(client, url(small, view, small_query))
        with django_assert_num_queries(expected):
            client.get(url(large, view, large_query))


def test_the_migration_marks_the_bursts_of_versions_saved_before_bursts_were_kept(section, alice, bob):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("agreements.migrations.0005_section_version_bursts")
    for text, by in [("<p>1</p>", alice), ("<p>2</p>", alice), ("<p>3</p>", bob), ("<p>4</p>", bob)]:
        save(section, text, by)
    age(section, 20)
    save(section, "<p>5</p>", bob)
    SectionVersion.objects.update(starts_burst=True)

    migration.mark_bursts(apps, None)

    starts = list(section.versions.order_by("number").values_list("starts_burst", flat=True))
    assert starts == [True, False, True, False, True]
