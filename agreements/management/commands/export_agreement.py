import json

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from agreements.services.bundle import agreement_export


class Command(BaseCommand):
    help = (
        "Prints one agreement as a complete JSON bundle with every edition of it "
        "(a portable backup; import_agreement restores it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "id", type=int, help="the id of the agreement or of any of its editions (the number in its address)"
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help=(
                "only the agreement's own document (the data attached to its PDFs): this edition, "
                "no portal users, histories, comments or timeline; cannot be imported"
            ),
        )

    def handle(self, *args, id: int, public: bool = False, **options):
        agreement = Agreement.objects.filter(pk=id).first()
        if agreement is None:
            raise CommandError(f"there is no agreement {id}")
        self.stdout.write(json.dumps(agreement_export(agreement, public=public), ensure_ascii=False, indent=2))
