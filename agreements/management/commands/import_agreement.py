import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.services.bundle import BundleError, agreement_import, agreement_series


class Command(BaseCommand):
    help = (
        "Restores an agreement from a bundle made by export_agreement, every edition of it as a new "
        "agreement, all or nothing. "
        "Users it names are matched by username or created inactive."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the JSON bundle")

    def handle(self, *args, file: Path, **options):
        try:
            bundle = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: not UTF-8 ({error.reason} at byte {error.start})") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{file}:{error.lineno}: not valid JSON: {error.msg}") from None
        try:
            agreement = agreement_import(bundle)
        except BundleError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from None
        for edition in agreement_series(agreement):
            self.stdout.write(
                self.style.SUCCESS(f"Imported agreement {edition.pk}: {edition.title}, edition {edition.edition}")
            )
