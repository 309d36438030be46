import json

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from agreements.services.bundle import agreement_export


class Command(BaseCommand):
    help = "Prints one agreement as a complete JSON bundle (a portable backup; import_agreement restores it)."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="the agreement's id (the number in its address)")

    def handle(self, *args, id: int, **options):
        agreement = Agreement.objects.filter(pk=id).first()
        if agreement is None:
            raise CommandError(f"there is no agreement {id}")
        self.stdout.write(json.dumps(agreement_export(agreement), ensure_ascii=False, indent=2))
