from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PdfsConfig(AppConfig):
    name = "pdfs"
    verbose_name = _("PDF documents")

    def ready(self):
        from pdfs import signals  # noqa: F401  the final PDF after the last signature; immutability triggers
