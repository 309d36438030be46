"""PDF jobs: "Create PDF" queues a rendition, a Celery task renders it, the last signature queues
the final PDF, which is sealed. The task's work is ``rendition_render``: idempotent, so a job that
is delivered twice (its worker died, Redis gave it again) stores one PDF.

Renders are never made in a web process with a broker: the request writes a queued row and the
task is sent when its transaction commits. Without a broker (the embedded default) Celery runs the
task eagerly, right after the commit.
"""

import contextlib
import datetime
import hashlib
import logging
import os
import socket

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements import permissions
from agreements.models import Agreement
from agreements.services import workflow
from pdfs import document
from pdfs.models import Rendition
from users.models import User

log = logging.getLogger(__name__)
# A job whose worker died this many times in the middle of it is failed rather than run again: the
# document itself kills it.
DEATHS_TOLERATED = 3


class SealFailed(Exception):
    """Sealing refused (``pdfs.seal.SealError``), with the reason for the people who retry it."""


class SealUnavailable(Exception):
    """A service the seal needs did not answer (``pdfs.seal.SealUnavailable``): tried again later."""


def _enqueue(rendition: Rendition) -> None:
    from pdfs.tasks import render_rendition

    # robust: without a broker the task runs here, after the commit; whatever it meets is written
    # on the rendition and must not fail the request that queued it.
    pk = rendition.pk

    def send() -> None:  # named, for the log line of a send that fails
        render_rendition.delay(pk)

    transaction.on_commit(send, robust=True)


def current_stamp(agreement: Agreement) -> int | None:
    return Agreement.objects.with_change_stamp().values_list("change_stamp", flat=True).get(pk=agreement.pk)


def stale(rendition: Rendition, now: datetime.datetime | None = None) -> bool:
    """A job that nothing will finish: begun longer ago than twice the time limit and not finished
    (its worker is gone; a hard time limit kills without a word), or queued that long and never
    taken up (its message was lost: the broker was away when it was sent)."""
    limit = datetime.timedelta(seconds=settings.PDF_RENDER_TIME_LIMIT * 2)
    now = now or timezone.now()
    if rendition.status == Rendition.Status.RENDERING and rendition.started_at is not None:
        return now - rendition.started_at > limit
    if rendition.status == Rendition.Status.QUEUED:
        return now - rendition.queued_at > limit
    return False


@transaction.atomic
def rendition_request(*, agreement: Agreement, by: User) -> Rendition:
    """*Create PDF* of ``agreement`` as it is now, for anyone who may read it: the newest PDF when it
    shows this very version or is still being made, otherwise a new job."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not permissions.can_view_agreement(by, agreement):
        raise PermissionDenied
    newest = agreement.renditions.filter(purpose=Rendition.Purpose.READING).defer("content").first()
    if newest is not None and not stale(newest):
        shows_this_version = newest.status == Rendition.Status.DONE and newest.change_stamp == current_stamp(agreement)
        if newest.is_pending or shows_this_version:
            return newest
    rendition = Rendition.objects.create(agreement=agreement, purpose=Rendition.Purpose.READING, requested_by=by)
    _enqueue(rendition)
    return rendition


def can_retry(user: User, rendition: Rendition) -> bool:
    """A failed job (or one whose worker is gone) is tried again by those who may read the agreement;
    the final PDF's by its organisers (who run its workflow)."""
    if rendition.status != Rendition.Status.FAILED and not stale(rendition):
        return False
    if rendition.purpose == Rendition.Purpose.FINAL:
        return permissions.can_run_workflow(user, rendition.agreement)
    return permissions.can_view_agreement(user, rendition.agreement)


@transaction.atomic
def rendition_retry(*, rendition: Rendition, by: User) -> Rendition:
    """Queues a failed (or stale) job again; the PDF for reading is then ``by``'s request."""
    rendition = Rendition.objects.select_for_update().select_related("agreement").defer("content").get(pk=rendition.pk)
    if not can_retry(by, rendition):
        if rendition.status == Rendition.Status.FAILED or stale(rendition):
            raise PermissionDenied
        raise ValidationError(_("Only a PDF that failed is made again."))
    rendition.status = Rendition.Status.QUEUED
    rendition.failure = ""
    rendition.interrupted = 0
    rendition.queued_at = timezone.now()
    if rendition.purpose == Rendition.Purpose.READING:
        rendition.requested_by = by
    rendition.save(update_fields=["status", "failure", "interrupted", "queued_at", "requested_by"])
    _enqueue(rendition)
    return rendition


def rendition_requeue(rendition_id: int) -> None:
    """Back in the queue, to be tried again later (the task retries it): the database, the broker or
    the timestamp authority did not answer. Not counted as interrupted."""
    Rendition.objects.filter(pk=rendition_id).exclude(status=Rendition.Status.DONE).update(
        status=Rendition.Status.QUEUED, queued_at=timezone.now()
    )


def final_request(agreement: Agreement) -> Rendition | None:
    """Queues the final PDF of ``agreement`` (one per agreement), to be rendered and sealed."""
    rendition, created = Rendition.objects.get_or_create(agreement=agreement, purpose=Rendition.Purpose.FINAL)
    if created:
        _enqueue(rendition)
    return rendition


@workflow.effect(Agreement.Status.SIGNED)
def _final_pdf_when_signed(agreement: Agreement, by: User | None, details: dict) -> None:
    # The move is committed with the signature; the job starts after that, reading the signed state.
    final_request(agreement)


def _claim(rendition_id: int) -> Rendition | None:
    """Marks the job begun by this process; None when there is nothing to do (done already)."""
    with transaction.atomic():
        rendition = Rendition.objects.select_for_update().defer("content").get(pk=rendition_id)
        if rendition.status == Rendition.Status.DONE:
            return None
        if rendition.status == Rendition.Status.RENDERING:
            # The delivery before this one was begun and never finished: its worker died with it.
            rendition.interrupted += 1
            if rendition.interrupted >= DEATHS_TOLERATED:
                rendition.status = Rendition.Status.FAILED
                rendition.failure = _("The worker stopped %(count)s times while making this PDF.") % {
                    "count": rendition.interrupted
                }
                rendition.finished_at = timezone.now()
                rendition.save(update_fields=["status", "interrupted", "failure", "finished_at"])
                log.error("PDF %s failed: %s", rendition.pk, rendition.failure)
                return None
        rendition.status = Rendition.Status.RENDERING
        rendition.attempts += 1
        rendition.started_at = timezone.now()
        rendition.finished_at = None
        rendition.failure = ""
        rendition.worker = f"{socket.gethostname()}:{os.getpid()}"
        rendition.save(
            update_fields=["status", "attempts", "interrupted", "started_at", "finished_at", "failure", "worker"]
        )
        return rendition


def rendition_fail(rendition_id: int, reason: str) -> None:
    """Records why a job failed, so its page shows it and offers to try again."""
    with transaction.atomic():
        rendition = Rendition.objects.select_for_update().defer("content").get(pk=rendition_id)
        if rendition.status == Rendition.Status.DONE:
            return
        rendition.status = Rendition.Status.FAILED
        rendition.failure = reason
        rendition.finished_at = timezone.now()
        rendition.save(update_fields=["status", "failure", "finished_at"])
    log.error("PDF %s of agreement %s failed: %s", rendition_id, rendition.agreement_id, reason)


def _seal_ready() -> None:
    from pdfs import seal

    try:
        seal.ready()
    except seal.SealError as error:
        raise SealFailed(str(error)) from error


def _seal(rendered: document.Rendered, agreement: Agreement):
    from pdfs import seal

    try:
        with translation.override(agreement.language):  # the stamp's words in the agreement's language
            return seal.seal_pdf(
                rendered.pdf,
                page=rendered.seal_page,
                box=rendered.seal_box,
                reason=_("The signed agreement, edition %(edition)s") % {"edition": rendered.edition},
                location=settings.SITE_URL,
            )
    except seal.SealUnavailable as error:
        raise SealUnavailable(str(error)) from error
    except seal.SealError as error:
        raise SealFailed(str(error)) from error


@contextlib.contextmanager
def _one_snapshot():
    """One transaction that sees one state of the database (PostgreSQL: REPEATABLE READ), so the
    version a document names is the version it shows, whatever is saved while it is rendered."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def rendition_render(rendition_id: int) -> Rendition | None:
    """Renders a queued job and stores the PDF (sealed, for the final one). Run by the task; a job
    already done is left as it is, and of two deliveries running at once the first to finish is
    stored. A document that cannot be rendered (``document.RenderError``) or sealed fails the job
    with the reason; other errors propagate to the task, which tries again or fails it."""
    rendition = _claim(rendition_id)
    if rendition is None:
        return None
    final = rendition.purpose == Rendition.Purpose.FINAL
    try:
        if final:
            _seal_ready()  # before the render: a seal that cannot be made fails the job at once
        with _one_snapshot():
            agreement = Agreement.objects.select_related("county").get(pk=rendition.agreement_id)
            rendered = document.render(agreement, final=final)
        sealed = _seal(rendered, agreement) if final else None
    except (document.RenderError, SealFailed) as error:
        rendition_fail(rendition_id, str(error))
        return None
    pdf = sealed.pdf if sealed else rendered.pdf
    with transaction.atomic():
        rendition = Rendition.objects.select_for_update().defer("content").get(pk=rendition_id)
        if rendition.status == Rendition.Status.DONE:
            return rendition
        rendition.content = pdf
        rendition.sha256 = hashlib.sha256(pdf).hexdigest()
        rendition.size = len(pdf)
        rendition.pages = rendered.pages
        rendition.edition = rendered.edition
        rendition.version = rendered.version.number
        rendition.change_stamp = rendered.version.stamp
        rendition.text_sha256 = rendered.text_sha256
        rendition.language = rendered.language
        rendition.renderer = rendered.renderer
        if sealed:
            rendition.sealed_at = sealed.sealed_at
            rendition.seal_subject = sealed.subject
        rendition.status = Rendition.Status.DONE
        rendition.failure = ""
        rendition.finished_at = timezone.now()
        rendition.save()
    return rendition


def final_of(agreement: Agreement) -> Rendition | None:
    """The stored sealed PDF of ``agreement`` (without its bytes), or None."""
    return (
        Rendition.objects.filter(agreement=agreement, purpose=Rendition.Purpose.FINAL, status=Rendition.Status.DONE)
        .defer("content")
        .first()
    )
