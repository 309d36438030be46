import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from yhdyspinta.celery import app as celery_app
from yhdyspinta.health import WORKER_KEY, WORKER_LOCK, WORKER_STATE_SECONDS

ELSEWHERE = "203.0.113.7"  # a client that is not the machine itself


def health(client, **extra):
    """The answer as the test client gets it: from 127.0.0.1, the machine itself."""
    response = client.get("/health/", **extra)
    return response.status_code, response.json()


def worker_state_known(state: str, seconds_ago: float) -> None:
    """The workers' state as a request left it in the cache ``seconds_ago``."""
    cache.set(WORKER_KEY, {"state": state, "at": time.time() - seconds_ago})


def test_anyone_else_learns_only_the_overall_status(client, areas, settings):
    settings.REDIS_URL = ""

    assert health(client, REMOTE_ADDR=ELSEWHERE) == (200, {"status": "ok"})


def test_anyone_else_learns_only_the_overall_status_of_a_failure_too(client, areas, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    assert health(client, REMOTE_ADDR=ELSEWHERE) == (503, {"status": "failing"})


def test_a_monitor_with_the_token_gets_the_detail_from_anywhere(client, areas, settings):
    settings.REDIS_URL = ""
    settings.HEALTH_TOKEN = "a-long-random-token"
    detail = {"database": "ok", "redis": "not configured", "worker": "not configured", "status": "ok"}

    assert health(client, REMOTE_ADDR=ELSEWHERE, headers={"X-Health-Token": "a-long-random-token"}) == (200, detail)
    assert health(client, REMOTE_ADDR=ELSEWHERE, headers={"X-Health-Token": "a-guess"}) == (200, {"status": "ok"})
    assert health(client, REMOTE_ADDR="::1") == (200, detail)


def test_without_a_token_set_no_header_opens_the_detail(client, areas, settings):
    settings.REDIS_URL = ""
    settings.HEALTH_TOKEN = ""

    assert health(client, REMOTE_ADDR=ELSEWHERE, headers={"X-Health-Token": ""}) == (200, {"status": "ok"})


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
def test_a_recent_worker_state_is_answered_without_asking_the_workers(client, areas):
    worker_state_known("ok", seconds_ago=WORKER_STATE_SECONDS - 1)  # no worker runs: asking would say "missing"

    assert health(client)[1]["worker"] == "ok"
    assert health(client, REMOTE_ADDR=ELSEWHERE) == (200, {"status": "ok"})


@pytest.mark.redis
def test_an_older_worker_state_is_asked_again_and_kept(client, areas):
    worker_state_known("ok", seconds_ago=WORKER_STATE_SECONDS + 1)

    assert health(client)[1]["worker"] == "missing"
    assert cache.get(WORKER_KEY)["state"] == "missing"
    assert time.time() - cache.get(WORKER_KEY)["at"] < WORKER_STATE_SECONDS
    assert cache.get(WORKER_LOCK) is None  # the next one may ask, once this state is old


@pytest.mark.redis
def test_while_one_request_asks_the_workers_the_others_answer_the_last_state(client, areas):
    worker_state_known("ok", seconds_ago=WORKER_STATE_SECONDS + 1)
    cache.add(WORKER_LOCK, True)  # a request in another process is asking them now

    assert health(client)[1]["worker"] == "ok"
    cache.delete(WORKER_KEY)
    assert health(client)[1]["worker"] == "unknown"  # nothing known yet: not reported as missing
    assert health(client)[1]["status"] == "ok"


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
