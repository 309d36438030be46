"""Prints the editor page's median server time for a 30-party, 20-goal agreement next to a minimal page.

The goal table, the overview and the coordinator's parties page are measured alongside.

    .venv/bin/python bench/editor_page.py [--requests N]

The figure is the ratio (target: at most 2x) and the query count (target: at most 15). It runs
inside a transaction that is rolled back, on the configured database (DATABASE_URL or SQLite) and
cache (CACHE_URL or memory), through Django's full request handling (middleware, sessions,
templates), without a network. Each page is measured twice: as a reader finds it once someone has
seen the agreement in its current state, and as the first reader after a change finds it, with the
cache emptied before every request (see yhdyspinta/fragments.py).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yhdyspinta.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from agreements.models import Agreement, Theme  # noqa: E402
from agreements.services import (  # noqa: E402
    agreement_start,
    comment_add,
    forum_save,
    goal_save,
    indicator_save,
    measure_save,
    section_save,
)
from regions.models import Municipality, WellbeingCounty  # noqa: E402
from regions.services import areas_load  # noqa: E402
from users.models import Role, User  # noqa: E402
from users.services import organisation_role_grant  # noqa: E402


class Rollback(Exception):
    pass


def build() -> tuple[Agreement, User]:
    areas_load()
    county = WellbeingCounty.objects.get(code="19")  # Pohjois-Pohjanmaa: 30 municipalities
    coordinator = User.objects.create(username="bench-coordinator")
    organisation_role_grant(user=coordinator, organisation=county, role=Role.COORDINATOR)
    municipalities = Municipality.objects.filter(county_memberships__county=county).order_by("name_fi")[:29]
    agreement = agreement_start(
        by=coordinator,
        county=county,
        title="Bench",
        kind=Agreement.Kind.INTERFACE,
        municipalities=list(municipalities),
        main_theme=Theme.WELLBEING,
    )
    parties = list(agreement.parties.all())
    assert len(parties) == 30
    section = agreement.sections.get(key="2")
    for n in range(20):
        section_save(section=section, text=f"<p>Versio {n}</p>" * 20, base_version=n, by=coordinator)
        goal = goal_save(
            agreement=agreement,
            by=coordinator,
            title=f"Tavoite {n}",
            theme=Theme.WELLBEING,
            responsible_parties=parties[:5],
        )
        measure_save(
            goal=goal,
            by=coordinator,
            description="Toimenpide",
            lead_party=parties[0],
            co_parties=parties[1:4],
            schedule="2026",
        )
        indicator_save(goal=goal, by=coordinator, name="Mittari", unit="%", baseline_value=10, baseline_year=2024)
        comment_add(section=section, text=f"Kommentti {n}", by=coordinator)
    forum_save(agreement=agreement, by=coordinator, name="Foorumi", level="executive", seats=dict.fromkeys(parties, 1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in a live database
    return agreement, coordinator


def measure(client: Client, pages: list[tuple[str, str, bool]], requests: int) -> list[tuple[str, float, int]]:
    """Median time and query count of each page; the pages take turns, so a slower moment of the
    machine falls on all of them alike. A page marked cold is requested with an empty cache, as the
    first reader after a change to the agreement finds it."""

    def get(url: str, cold: bool):
        if cold:
            cache.clear()
        else:
            client.get(url)  # someone has seen it (the cold pages empty the cache between turns)
        start = time.perf_counter()
        response = client.get(url)
        return response, time.perf_counter() - start

    for _name, url, cold in pages:
        get(url, cold)  # warm the templates
    times: list[list[float]] = [[] for _ in pages]
    for _ in range(requests):
        for (_name, url, cold), page_times in zip(pages, times, strict=True):
            response, seconds = get(url, cold)
            page_times.append(seconds)
            assert response.status_code == 200, (url, response.status_code)
    results = []
    for (name, url, cold), page_times in zip(pages, times, strict=True):
        if cold:
            cache.clear()
        else:
            client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results.append((name, statistics.median(page_times) * 1000, len(queries.captured_queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    requests = parser.parse_args().requests
    call_command("migrate", verbosity=0)
    setup_test_environment()
    try:
        with transaction.atomic():
            agreement, user = build()
            client = Client()
            client.force_login(user)
            editor = f"/agreements/{agreement.pk}/sections/2/"
            goals = f"/agreements/{agreement.pk}/sections/3.2/"
            overview = f"/agreements/{agreement.pk}/"
            parties = f"/agreements/{agreement.pk}/parties/"
            pages = [
                ("minimal page (front page)", "/", False),
                ("editor page (section 2, 20 versions, 20 comments)", editor, False),
                ("  first view after a change (cache empty)", editor, True),
                ("goal table (section 3.2, 20 goals)", goals, False),
                ("  first view after a change (cache empty)", goals, True),
                ("agreement overview", overview, False),
                ("  first view after a change (cache empty)", overview, True),
                ("parties page (the coordinator's, 30 parties)", parties, False),
            ]
            results = measure(client, pages, requests)
            raise Rollback
    except Rollback:
        pass
    finally:
        cache.clear()  # nothing rendered from the rolled-back agreement outlives the run
    base = results[0][1]
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database: {connection.vendor}; cache: {backend}; 30 parties, 20 goals; median of {requests} requests")
    for name, ms, queries in results:
        print(f"{name:<52} {ms:7.1f} ms  {ms / base:4.1f}x  {queries:3d} queries")


if __name__ == "__main__":
    main()
