import csv
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regions.selectors import EXPORT_HEADER, area_export_rows_on


class Command(BaseCommand):
    help = "Prints the composition of the areas as CSV, one row per municipality."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to export (YYYY-MM-DD; default: today)")

    def handle(self, *args, on: str | None, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on: {on!r} is not a date in the form 2025-01-01") from None
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(EXPORT_HEADER)
        writer.writerows(area_export_rows_on(day))
