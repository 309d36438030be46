"""A notice's e-mail is sent by a real Celery worker on Redis once the move commits."""

import time

import pytest
from django.db import transaction

from agreements.models import Notification, NotificationOptOut
from agreements.services.notifications import notify
from tests.agreements.factories import start_strategic

pytestmark = pytest.mark.redis


@pytest.fixture
def worker_prints_mail(worker_on_test_database, monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)  # the worker prints the mail to its log


@pytest.mark.postgres
def test_the_mail_of_a_notice_is_sent_by_a_worker_after_commit(worker_prints_mail, worker, alice, settings):
    from yhdyspinta.celery import app

    alice.email = "alice@example.fi"
    alice.save()
    agreement = start_strategic()
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=1) and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read().decode()
        with transaction.atomic():
            (notice,) = notify(agreement=agreement, users=[alice], kind=NotificationOptOut.Kind.CONSULTATION)
        while Notification.objects.get(pk=notice.pk).emailed_at is None and time.monotonic() < deadline + 30:
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.2)
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER

    assert Notification.objects.get(pk=notice.pk).emailed_at is not None
