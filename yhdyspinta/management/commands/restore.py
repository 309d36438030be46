from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yhdyspinta.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with the backup in FOLDER. Checks every checksum first; "
        "the database is restored in one transaction, the media folder swapped only after it succeeded."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current database and media are to be replaced."
        )

    def handle(self, *args, folder: Path, yes: bool, **options):
        if not yes:
            raise CommandError("restore replaces the whole database and all uploaded files; add --yes to confirm.")
        try:
            manifest = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']} from {folder}."))
