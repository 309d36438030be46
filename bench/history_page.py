"""Prints the history page's and the editor's first view's median server time for a section with
1, 100, 2,000 and 10,000 versions (and as many comment threads, up to 1,000), which must not grow.

    .venv/bin/python bench/history_page.py [--requests N] [--sizes 1,100,2000,10000]

A page of history holds 50 entries and the editor 20 discussions: with bursts of 25 saves the
history page is full from 1,250 versions on, so 2,000 against 10,000 is the figure that must not
move; below that the pages show fewer entries and threads.

Autosave writes a version every few seconds of typing, so a section edited for months has
thousands. The versions are written as autosave writes them, in bursts of one person's saves a few
seconds apart with longer pauses between, but with bulk_create for speed (the audit triggers still
fire). It runs inside a transaction that is rolled back, on the configured database (DATABASE_URL or
SQLite), through Django's full request handling, with the page cache emptied before every request
(the first view after a change, which is what an editor gets while someone writes).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yhdyspinta.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from agreements.models import Agreement, Comment, Section, SectionVersion  # noqa: E402
from agreements.services import agreement_start  # noqa: E402
from regions.models import WellbeingCounty  # noqa: E402
from regions.services import areas_load  # noqa: E402
from users.models import Role, User  # noqa: E402
from users.services import organisation_role_grant  # noqa: E402

SECTION_KEYS = ("2", "3", "3.1", "4", "5", "6")


class Rollback(Exception):
    pass


def fill(section: Section, versions: int, comments: int, people: list[User]) -> None:
    """``versions`` versions in bursts of 25 saves 5 s apart, an hour between bursts, the people
    taking turns; ``comments`` open threads with a reply each."""
    start = timezone.now() - datetime.timedelta(days=365)
    rows = []
    for n in range(1, versions + 1):
        burst, step = divmod(n - 1, 25)
        rows.append(
            SectionVersion(
                section=section,
                number=n,
                text=f"<p>Versio {n}: yhteistyön tavoitteet ja toimenpiteet.</p>" * 10,
                based_on=n - 1,
                created_by=people[burst % len(people)],
                created_at=start + datetime.timedelta(hours=burst, seconds=5 * step),
                starts_burst=step == 0,
            )
        )
    SectionVersion.objects.bulk_create(rows, batch_size=1000)
    # auto_now_add overrode the times; put back the ones autosave would have written.
    for row in rows:
        row.created_at = start + datetime.timedelta(hours=(row.number - 1) // 25, seconds=5 * ((row.number - 1) % 25))
    SectionVersion.objects.bulk_update(rows, ["created_at"], batch_size=1000)
    last = rows[-1]
    Section.objects.filter(pk=section.pk).update(
        text=last.text, version=last.number, updated_at=last.created_at, updated_by=last.created_by
    )
    threads = Comment.objects.bulk_create(
        [Comment(section=section, author=people[n % len(people)], text=f"Kommentti {n}") for n in range(comments)]
    )
    Comment.objects.bulk_create(
        [Comment(section=section, parent=t, author=people[0], text="Vastaus") for t in threads], batch_size=1000
    )


def build(sizes: list[int]) -> tuple[Agreement, User, dict[int, str]]:
    areas_load()
    county = WellbeingCounty.objects.get(code="08")  # Pirkanmaa
    people = []
    for name in ("bench-history-a", "bench-history-b"):
        user = User.objects.create(username=name, first_name="Bench", last_name=name[-1].upper())
        organisation_role_grant(user=user, organisation=county, role=Role.COORDINATOR)
        people.append(user)
    agreement = agreement_start(by=people[0], county=county, title="Bench", kind=Agreement.Kind.STRATEGIC)
    keys = {}
    for size, key in zip(sizes, SECTION_KEYS, strict=False):
        fill(agreement.sections.get(key=key), size, min(size, 1000), people)
        keys[size] = key
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in a live database
    return agreement, people[0], keys


def measure(client: Client, urls: list[str], requests: int) -> list[tuple[float, int]]:
    """Median time (cache emptied before each request) and query count of each page, taking turns."""

    def get(url: str):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return time.perf_counter() - started

    for url in urls:
        get(url)  # warm the templates
    times: list[list[float]] = [[] for _ in urls]
    for _ in range(requests):
        for url, page_times in zip(urls, times, strict=True):
            page_times.append(get(url))
    results = []
    for url, page_times in zip(urls, times, strict=True):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results.append((statistics.median(page_times) * 1000, len(queries.captured_queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--sizes", default="1,100,2000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    call_command("migrate", verbosity=0)
    setup_test_environment()
    try:
        with transaction.atomic():
            agreement, user, keys = build(sizes)
            client = Client()
            client.force_login(user)
            pages = []
            for size in sizes:
                section = f"/agreements/{agreement.pk}/sections/{keys[size]}/"
                threads = min(size, 1000)
                pages.append((f"history, {size} versions", section + "history/"))
                pages.append((f"editor first view, {size} versions, {threads} threads", section))
            results = measure(client, [url for _name, url in pages], args.requests)
            raise Rollback
    except Rollback:
        pass
    finally:
        cache.clear()
    print(f"database: {connection.vendor}; page cache emptied before each request; median of {args.requests}")
    for (name, _url), (ms, queries) in zip(pages, results, strict=True):
        print(f"{name:<52} {ms:7.1f} ms  {queries:3d} queries")


if __name__ == "__main__":
    main()
