import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings

from yhdyspinta.celery import app as celery_app


def health(client):
    response = client.get("/health/")
    return response.status_code, response.json()


def test_without_redis_jobs_run_in_the_web_process(client, areas, settings):
    settings.REDIS_URL = ""

    assert health(client) == (
        200,
        {"database": "ok", "redis": "not configured", "worker": "not configured", "status": "ok"},
    )


def test_an_unreachable_redis_fails_the_check(client, areas, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    status, report = health(client)

    assert status == 503
    assert report["redis"] == "failing" and report["status"] == "failing"


@pytest.mark.redis
def test_redis_without_a_worker_is_degraded(client, areas):
    status, report = health(client)

    assert status == 200
    assert (report["redis"], report["worker"], report["status"]) == ("ok", "missing", "degraded")


@pytest.mark.redis
def test_redis_with_a_worker_is_ok(client, areas, worker):
    deadline = time.monotonic() + 30
    while not celery_app.control.ping(timeout=1) and time.monotonic() < deadline:
        assert worker.poll() is None

    assert health(client) == (200, {"database": "ok", "redis": "ok", "worker": "ok", "status": "ok"})


def test_production_settings_pass_the_deployment_checks():
    settings_env = ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in settings_env}
    env.update(DEBUG="false", SECRET_KEY="k" * 60 + "Xy9!", ALLOWED_HOSTS="yhdyspinta.example.fi")

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
