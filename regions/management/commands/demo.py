from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.demo import demo_agreement_ensure
from agreements.demo_workflow import demo_in_decision_ensure, demo_in_force_ensure
from pdfs.services import final_request
from tym.demo import demo_tym_ensure
from users.services import demo_users_ensure


class Command(BaseCommand):
    help = (
        "Loads the area data, creates the demo users and Pirkanmaa's demo agreements (a draft, one in "
        "decision, one signed and in force), Pirkanmaa's TYM steering groups with an agreement awaiting "
        "approval and Päijät-Häme's TYM agreement in force, printing the logins. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo creates users with a published password; it runs only with DEBUG on")
        call_command("load_areas", stdout=self.stdout, stderr=self.stderr)
        password, users = demo_users_ensure()
        # --- PDFs (pdfs): a self-signed seal when none is configured, so the signed demo agreements are sealed ---
        if not settings.SEAL_CERTIFICATE.exists() and not settings.SEAL_KEY.exists():
            call_command("make_demo_certificate", stdout=self.stdout, stderr=self.stderr)
        agreement = demo_agreement_ensure()
        in_decision = demo_in_decision_ensure()
        in_force = demo_in_force_ensure()
        # --- TYM (tym.demo): steering groups and TYM agreements, and the Päijät-Häme logins ---
        tym_users, (tym_submitted, tym_in_force) = demo_tym_ensure()
        users = [*users, *tym_users]
        # The signed ones were sealed when their last signature was recorded; a demo made before PDFs is sealed now.
        for signed in (in_force, tym_in_force):
            with transaction.atomic():
                final_request(signed)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password}):"))
        for username, description in users:
            self.stdout.write(f"  {username:<18} {description}")
        self.stdout.write(f"Demo agreement: /agreements/{agreement.pk}/ ({agreement.title})")
        self.stdout.write(f"In decision: /agreements/{in_decision.pk}/decisions/ ({in_decision.title})")
        self.stdout.write(f"In force, public: /register/{in_force.pk}/ ({in_force.title})")
        self.stdout.write(f"Its sealed PDF: /register/{in_force.pk}/signed.pdf (check it at /verify/)")
        self.stdout.write(f"TYM, awaiting approval: /agreements/{tym_submitted.pk}/ ({tym_submitted.title})")
        self.stdout.write(f"TYM, in force: /agreements/{tym_in_force.pk}/ ({tym_in_force.title})")
