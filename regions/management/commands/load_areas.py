from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.area_files import AreaDataError
from regions.services import DEFAULT_AREA_PATH, areas_load


class Command(BaseCommand):
    help = (
        "Loads Finland's area data (municipalities, wellbeing services counties, employment areas, "
        "regional councils and their memberships) from the four CSV files. Everything is checked "
        "before anything is written, and written in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help=f"A folder holding the four files, or the files themselves (default: {DEFAULT_AREA_PATH})",
        )

    def handle(self, *args, paths: list[Path], **options):
        try:
            report = areas_load(paths=paths or [DEFAULT_AREA_PATH])
        except AreaDataError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"the area data was not loaded: {len(error.problems)} problem(s); the database is unchanged"
            ) from None
        width = max(len(kind) for kind in report.counts)
        for kind, counts in report.counts.items():
            self.stdout.write(
                f"{kind:<{width}}  {counts['created']:>4} created  {counts['updated']:>4} updated  "
                f"{counts['unchanged']:>4} unchanged"
            )
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded: {report.total('created')} created, {report.total('updated')} updated, "
                f"{report.total('unchanged')} unchanged."
            )
        )
