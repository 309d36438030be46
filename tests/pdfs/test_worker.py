"""PDF jobs on a real Celery worker and Redis, as in production: rendered by the worker after the
request's commit, and rendered again, once, when the worker process dies in the middle."""

import os
import signal
import time

import pytest
from django.db import transaction

from pdfs import services
from pdfs.models import Rendition
from tests.agreements.factories import start_strategic
from tests.conftest import worker_running, worker_start, worker_stop

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.pdftools]


def wait_for(rendition_pk: int, process, done, seconds: float = 60) -> Rendition:
    deadline = time.monotonic() + seconds
    while True:
        rendition = Rendition.objects.defer("content").get(pk=rendition_pk)
        if done(rendition):
            return rendition
        assert process.poll() is None, process.stdout.read().decode()
        assert time.monotonic() < deadline, f"still {rendition.status} after {seconds} s"
        time.sleep(0.01)


def queue(agreement, user) -> int:
    with transaction.atomic():  # the task is sent when this commits
        return services.rendition_request(agreement=agreement, by=user).pk


def test_a_worker_renders_a_queued_pdf(worker_on_test_database, through_the_broker, alice):
    agreement = start_strategic()
    process = worker_start("--pool", "solo")
    try:
        worker_running(through_the_broker, process)
        pk = queue(agreement, alice)
        rendition = wait_for(pk, process, lambda r: not r.is_pending)
    finally:
        worker_stop(process)

    assert rendition.status == Rendition.Status.DONE, rendition.failure
    assert rendition.pages >= 2 and rendition.attempts == 1
    host, pid = rendition.worker.rsplit(":", 1)
    assert host and int(pid) != os.getpid()  # rendered in the worker's process, not here


def test_a_worker_killed_in_the_middle_leaves_the_job_to_be_rendered_again_once(
    worker_on_test_database, through_the_broker, alice
):
    agreement = start_strategic()  # 24 parties: long enough a render to be caught in the middle
    process = worker_start("--pool", "prefork", "--concurrency", "1")
    try:
        worker_running(through_the_broker, process)
        for _attempt in range(3):
            pk = queue(agreement, alice)
            begun = wait_for(pk, process, lambda r: r.status != Rendition.Status.QUEUED)
            if begun.status == Rendition.Status.RENDERING:
                break
            Rendition.objects.filter(pk=pk).delete()  # done before it could be caught: try again
        assert begun.status == Rendition.Status.RENDERING, "every render finished before it could be stopped"
        killed = int(begun.worker.rsplit(":", 1)[1])
        os.kill(killed, signal.SIGKILL)

        rendition = wait_for(pk, process, lambda r: r.attempts > 1 and not r.is_pending)
    finally:
        worker_stop(process)

    assert rendition.status == Rendition.Status.DONE, rendition.failure
    assert rendition.attempts == 2 and rendition.worker != begun.worker
    assert Rendition.objects.filter(agreement=agreement).count() == 1
