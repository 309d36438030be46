from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yhdyspinta.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into FOLDER (new or empty), with checksums."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_create(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name, digest in manifest["files"].items():
            self.stdout.write(f"{folder / name}  sha256 {digest}")
        self.stdout.write(self.style.SUCCESS(f"Backed up the {manifest['database']} database and media into {folder}."))
