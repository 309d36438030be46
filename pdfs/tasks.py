"""The PDF job: a thin task that takes the rendition's id and calls ``pdfs.services``."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from pdfs import services

log = logging.getLogger(__name__)

# Errors that pass: the database, the broker or the timestamp authority away for a moment.
TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError, TimeoutError, services.SealUnavailable)
MAX_RETRIES = 5


@shared_task(
    bind=True,
    acks_late=True,  # acknowledged when done: a worker that dies mid-render leaves it in the queue
    reject_on_worker_lost=True,  # …and a pool process that is killed gives it back at once
    soft_time_limit=settings.PDF_RENDER_TIME_LIMIT,
    time_limit=settings.PDF_RENDER_TIME_LIMIT + 30,
    max_retries=MAX_RETRIES,
)
def render_rendition(self, rendition_id: int) -> str:
    """Renders (and for the final PDF seals) one rendition; put back in the queue and tried again
    with a growing pause (5 s to 80 s) when the database, the broker or the timestamp authority is
    away, failed with the reason otherwise."""
    try:
        rendition = services.rendition_render(rendition_id)
    except SoftTimeLimitExceeded:
        _fail_quietly(
            rendition_id,
            _("Making the PDF took longer than %(seconds)s seconds.") % {"seconds": settings.PDF_RENDER_TIME_LIMIT},
        )
        return "failed"
    except TRANSIENT as error:
        # Without a broker (eager) there is no later: the job fails now, and is tried again by hand.
        if self.request.is_eager or self.request.retries >= MAX_RETRIES:
            _fail_quietly(rendition_id, _("A service did not answer: %(error)s") % {"error": error})
            return "failed"
        _requeue_quietly(rendition_id)
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error
    except Exception as error:  # a defect: recorded on the job, which the user can try again
        log.exception("rendering PDF %s failed", rendition_id)
        _fail_quietly(
            rendition_id, _("An unexpected error stopped the PDF: %(error)s") % {"error": type(error).__name__}
        )
        return "failed"
    return "done" if rendition is not None else "nothing to do"


def _requeue_quietly(rendition_id: int) -> None:
    try:
        services.rendition_requeue(rendition_id)
    except DatabaseError:  # the database is what is away: the job stays begun, and is taken again
        log.warning("could not put PDF %s back in the queue", rendition_id)


def _fail_quietly(rendition_id: int, reason: str) -> None:
    try:
        services.rendition_fail(rendition_id, reason)
    except DatabaseError:
        log.exception("could not record the failure of PDF %s", rendition_id)


@worker_process_init.connect
def _warmed_up(**kwargs) -> None:
    """A worker process loads WeasyPrint and the seal's key and font when it starts, not in its
    first job (about 0.5 s and 0.3 s)."""
    from pdfs import seal, weasy  # noqa: F401

    seal.warm_up()
