"""Writes a self-signed seal certificate and key for development and demos at SEAL_CERTIFICATE and
SEAL_KEY. Not for production: a reader's PDF software does not know the issuer."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pdfs.seal import fingerprint, make_certificate


class Command(BaseCommand):
    help = "Write a self-signed seal certificate and key at SEAL_CERTIFICATE and SEAL_KEY (development, demos)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace an existing certificate and key.")
        parser.add_argument("--common-name", default="Yhdyspinta demo seal", help="The certificate's common name.")
        parser.add_argument("--organisation", default="Yhdyspinta (demo)", help="The organisation the seal names.")

    def handle(self, *args, force, common_name, organisation, **options):
        cert_path, key_path = settings.SEAL_CERTIFICATE, settings.SEAL_KEY
        try:
            cert = make_certificate(
                cert_path,
                key_path,
                common_name=common_name,
                organisation=organisation,
                force=force,
                passphrase=settings.SEAL_KEY_PASSPHRASE,
            )
        except FileExistsError as e:
            raise CommandError(f"A seal certificate or key exists already ({e}); use --force to replace them.") from e
        except OSError as e:
            raise CommandError(f"Cannot write the certificate and key: {e}") from e
        self.stdout.write(f"Certificate: {cert_path}")
        self.stdout.write(f"Key: {key_path} (mode 0600)")
        self.stdout.write(f"SHA-256 fingerprint: {fingerprint(cert)}")
