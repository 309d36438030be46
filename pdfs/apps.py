from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PdfsConfig(AppConfig):
    name = "pdfs"
    verbose_name = _("PDF documents")

    def ready(self):
        from pdfs import immutable, services  # noqa: F401  services registers the final PDF on signing

        post_migrate.connect(immutable.install_after_migrate, sender=self, dispatch_uid="pdfs-immutable")
