import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agreements.services.dates import daily_dates


class Command(BaseCommand):
    help = (
        "Moves the statuses that today's date moves (signed → in force, in force → expired) and sends the "
        "reminders due. The same as the Celery beat task agreements.tasks.daily_dates; run it once a day "
        "from cron where beat does not run. A second run on a day changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to act as today, YYYY-MM-DD (default: today in Helsinki)")

    def handle(self, *args, on=None, **options):
        try:
            today = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on must be a date as YYYY-MM-DD, not {on!r}") from None
        report = daily_dates(today=today)
        self.stdout.write(
            f"{today.isoformat()}: {len(report.into_force)} into force, {len(report.expired)} expired, "
            f"{len(report.reminders)} reminders sent"
        )
        for refused in report.refused:
            self.stderr.write(f"refused: {refused}")
