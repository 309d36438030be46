"""Prints how long load_areas takes: a first load into empty tables and an unchanged reload.

    .venv/bin/python bench/load_areas.py [--runs N]

Uses the configured database (DATABASE_URL, or the embedded SQLite) inside a transaction that is
rolled back, so the data already there is left as it was. The issue's target is under 2 s.
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

from regions.models import (  # noqa: E402
    CountyMembership,
    EmploymentArea,
    EmploymentAreaMembership,
    Organisation,
    RegionalCouncilMembership,
)
from regions.services import areas_load  # noqa: E402


class Rollback(Exception):
    pass


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def empty() -> None:
    for model in (CountyMembership, EmploymentAreaMembership, RegionalCouncilMembership):
        model.objects.all().delete()
    EmploymentArea.objects.all().delete()
    Organisation.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    call_command("migrate", verbosity=0)
    first, again = [], []
    for _ in range(runs):
        try:
            with transaction.atomic():
                empty()
                first.append(timed(areas_load))
                again.append(timed(areas_load))
                raise Rollback
        except Rollback:
            pass
    print(f"database: {connection.vendor}; {runs} runs")
    print(f"load_areas into empty tables: median {statistics.median(first):.3f} s (max {max(first):.3f} s)")
    print(f"load_areas again, unchanged:  median {statistics.median(again):.3f} s (max {max(again):.3f} s)")


if __name__ == "__main__":
    main()
