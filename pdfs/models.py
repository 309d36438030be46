"""Renditions: an agreement rendered as a PDF, in a Celery job.

A rendition is queued by a user ("Create PDF") or, for the final PDF, by the last signature; a task
renders it and stores the bytes here, with the edition and version they came from, their SHA-256
and the renderer's version. The final PDF is sealed; once stored, the database refuses to change or
delete it (``pdfs.immutable``). Renditions are not in the audit log: they are made from an
agreement's state and must not change it (its version and change stamp are what they record).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rendition(models.Model):
    class Purpose(models.TextChoices):
        READING = "reading", _("PDF for reading")
        FINAL = "final", _("Signed agreement (sealed PDF)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="renditions", verbose_name=_("agreement")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.READING)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Deliveries begun and never finished since it was last queued: their worker died with them.
    interrupted = models.PositiveSmallIntegerField(_("interrupted"), default=0)
    worker = models.CharField(_("rendered by"), max_length=200, blank=True, help_text=_("host and process"))
    failure = models.TextField(_("why it failed"), blank=True)
    # What it was rendered from, set when the bytes are stored.
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"), null=True, blank=True, help_text=_("the number of recorded changes to the agreement")
    )
    change_stamp = models.BigIntegerField(_("change stamp"), null=True, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the frozen text"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    renderer = models.CharField(_("renderer"), max_length=200, blank=True)
    content = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    seal_subject = models.CharField(_("sealed by"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("PDF rendition")
        verbose_name_plural = _("PDF renditions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One final PDF per agreement: a re-delivered job or a second signature run cannot make another.
            models.UniqueConstraint(
                fields=["agreement"], condition=models.Q(purpose="final"), name="pdfs_one_final_per_agreement"
            ),
            # The final PDF is the portal's own, requested by nobody: deleting a user never writes it.
            models.CheckConstraint(
                condition=~models.Q(purpose="final") | models.Q(requested_by__isnull=True),
                name="pdfs_final_requested_by_nobody",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "purpose", "-requested_at"], name="pdfs_agreement_newest")]

    def __str__(self):
        return f"{self.agreement_id}: {self.get_purpose_display()} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def filename(self) -> str:
        suffix = "sealed" if self.purpose == self.Purpose.FINAL else f"v{self.version or 0}"
        return f"agreement-{self.agreement_id}-edition-{self.edition or 1}-{suffix}.pdf"
