import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from pdfs import document


class Command(BaseCommand):
    help = (
        "Renders an agreement as it is now to a PDF file, through the same code as the PDF job, without a "
        "broker or a worker; nothing is stored. The same version renders to the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="the id of the agreement (the number in its address)")
        parser.add_argument("--out", required=True, help="the PDF file to write")

    def handle(self, *args, id: int, out: str, **options):
        agreement = Agreement.objects.select_related("county").filter(pk=id).first()
        if agreement is None:
            raise CommandError(f"there is no agreement {id}")
        try:
            rendered = document.render(agreement)
        except document.RenderError as error:
            raise CommandError(f"agreement {id}: {error}") from None
        path = Path(out)
        try:
            path.write_bytes(rendered.pdf)
        except OSError as error:
            raise CommandError(f"{out}: {error.strerror or error}") from None
        self.stdout.write(
            f"{out}: edition {rendered.edition}, version {rendered.version.number}, {rendered.pages} pages, "
            f"{len(rendered.pdf)} bytes, SHA-256 {hashlib.sha256(rendered.pdf).hexdigest()}"
        )
