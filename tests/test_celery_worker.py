"""A real Celery worker on the local Redis runs our tasks (the production shape of background work)."""

import time

import pytest

pytestmark = pytest.mark.redis


def test_a_worker_runs_a_task_sent_through_redis(worker, settings):
    from yhdyspinta.celery import app
    from yhdyspinta.tasks import ping

    # The test process was configured eagerly unless REDIS_URL was set; send through the broker for real.
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=1) and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read().decode()
        result = ping.delay()

        assert result.get(timeout=30) == "pong"
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
