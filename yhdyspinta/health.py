"""The state of the services the portal depends on, for /health/ and for operators."""

import redis
from django.conf import settings
from django.db import connection

from yhdyspinta.celery import app as celery_app

OK, FAILING, MISSING, NOT_CONFIGURED = "ok", "failing", "missing", "not configured"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database is the answer, not an error of this check
        return FAILING
    return OK


def _redis() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return FAILING
    return OK


def _worker(redis_state: str) -> str:
    if redis_state != OK:
        return redis_state  # no broker: no worker can be reached either
    try:
        replies = celery_app.control.ping(timeout=1)
    except Exception:
        return FAILING
    return OK if replies else MISSING


def health_report() -> dict[str, str]:
    """Database, Redis and Celery worker state, and an overall status.

    "failing" when the web process cannot do its work (database or Redis down); "degraded" when it
    can but background jobs would wait (no worker answers); "ok" otherwise. Without REDIS_URL, jobs
    run in the web process and Redis and the worker are "not configured".
    """
    report = {"database": _database(), "redis": _redis()}
    report["worker"] = _worker(report["redis"])
    if FAILING in (report["database"], report["redis"]):
        report["status"] = FAILING
    elif report["worker"] in (MISSING, FAILING):
        report["status"] = "degraded"
    else:
        report["status"] = OK
    return report
