"""A real Celery worker on the local Redis runs our tasks (the production shape of background work)."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

pytestmark = pytest.mark.redis


@pytest.fixture
def worker():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yhdyspinta.settings"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "yhdyspinta",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


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
