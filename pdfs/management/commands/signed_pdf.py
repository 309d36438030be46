"""Writes the stored sealed PDF of an agreement, checked against its stored SHA-256."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from pdfs.models import Rendition


class Command(BaseCommand):
    help = "Write the sealed PDF of agreement ID to --out FILE."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The agreement's id.")
        parser.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args, id, out, **options):
        if not Agreement.objects.filter(pk=id).exists():
            raise CommandError(f"There is no agreement {id}.")
        rendition = Rendition.objects.filter(
            agreement_id=id, purpose=Rendition.Purpose.FINAL, status=Rendition.Status.DONE
        ).first()
        if rendition is None or not rendition.content:
            raise CommandError(f"Agreement {id} has no sealed PDF yet.")
        content = bytes(rendition.content)
        if hashlib.sha256(content).hexdigest() != rendition.sha256:
            raise CommandError(f"The stored sealed PDF of agreement {id} does not match its stored SHA-256.")
        try:
            Path(out).write_bytes(content)
        except OSError as e:
            raise CommandError(f"Cannot write {out}: {e.strerror}") from e
        self.stdout.write(f"{out}: {len(content)} bytes, SHA-256 {rendition.sha256}")
