"""Says whether a file is the genuine signed agreement, as the verification page does. Exit 0 when
it is, 1 when it is not, 2 when the file cannot be read or the seal cannot be checked here."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pdfs.verification import verify


class Command(BaseCommand):
    help = "Check whether FILE is a genuine signed agreement (exit 0) or not (exit 1)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The PDF file to check.")

    def handle(self, *args, file, **options):
        try:
            content = Path(file).read_bytes()
        except OSError as e:
            raise CommandError(f"Cannot read {file}: {e.strerror}", returncode=2) from e
        verdict = verify(content)
        if not verdict.seal.checked:
            raise CommandError(verdict.message, returncode=2)
        self.stdout.write(verdict.message)
        self.stdout.write(f"SHA-256: {verdict.sha256}")
        if verdict.seal.sealed:
            self.stdout.write(f"Sealed by: {verdict.seal.subject}")
        if not verdict.genuine:
            sys.exit(1)
