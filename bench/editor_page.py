"""Prints the editor page's median server time for a 30-party, 20-goal agreement next to a minimal page.

    .venv/bin/python bench/editor_page.py [--requests N]

The figure is the ratio (target: at most 2x) and the query count (target: at most 15). It runs
inside a transaction that is rolled back, on the configured database (DATABASE_URL or SQLite),
through Django's full request handling (middleware, sessions, templates), without a network.
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
    return agreement, coordinator


def median_ms(client: Client, url: str, requests: int) -> tuple[float, int]:
    client.get(url)  # warm caches and templates
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries.captured_queries)


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
            pages = {
                "minimal page (front page)": "/",
                "editor page (section 2, 20 versions, 20 comments)": f"/agreements/{agreement.pk}/sections/2/",
                "goal table (section 3.2, 20 goals)": f"/agreements/{agreement.pk}/sections/3.2/",
                "agreement overview": f"/agreements/{agreement.pk}/",
            }
            results = {name: median_ms(client, url, requests) for name, url in pages.items()}
            raise Rollback
    except Rollback:
        pass
    base = results["minimal page (front page)"][0]
    print(f"database: {connection.vendor}; 30 parties, 20 goals; median of {requests} requests")
    for name, (ms, queries) in results.items():
        print(f"{name:<52} {ms:7.1f} ms  {ms / base:4.1f}x  {queries:3d} queries")


if __name__ == "__main__":
    main()
