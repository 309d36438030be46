"""The state of the services the portal depends on, for /health/ and for operators.

The database and Redis are asked on every call (a millisecond each). Asking the Celery workers
waits up to a second for their answers, so their state is kept in the cache (shared by the web
processes when CACHE_URL is set) and asked again at most every ``WORKER_STATE_SECONDS``, by one
request at a time: the others answer the last state known meanwhile.
"""

import hmac
import ipaddress
import logging
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest

from yhdyspinta.celery import app as celery_app

OK, FAILING, MISSING, NOT_CONFIGURED, UNKNOWN = "ok", "failing", "missing", "not configured", "unknown"
WORKER_STATE_SECONDS = 5
WORKER_KEY = "health:worker"  # {"state": …, "at": seconds since the epoch}, comparable across processes
WORKER_LOCK = "health:worker:asking"
LOCK_SECONDS = 10  # longer than a ping takes; a request that died while asking does not block for long
TOKEN_HEADER = "X-Health-Token"

logger = logging.getLogger(__name__)


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


def _ping_workers() -> str:
    try:
        replies = celery_app.control.ping(timeout=1)
    except Exception:
        return FAILING
    return OK if replies else MISSING


def _worker(redis_state: str) -> str:
    if redis_state != OK:
        return redis_state  # no broker: no worker can be reached either
    try:
        known = cache.get(WORKER_KEY)
        if known and time.time() - known["at"] < WORKER_STATE_SECONDS:
            return known["state"]
        if not cache.add(WORKER_LOCK, True, timeout=LOCK_SECONDS):
            return known["state"] if known else UNKNOWN  # another request is asking the workers
    except Exception:  # noqa: BLE001 - without the cache, ask the workers every time
        logger.warning("the cache does not answer: asking the Celery workers on every health check")
        return _ping_workers()
    state = _ping_workers()
    try:
        cache.set(WORKER_KEY, {"state": state, "at": time.time()}, timeout=24 * 60 * 60)
        cache.delete(WORKER_LOCK)
    except Exception:  # noqa: BLE001 - the lock expires by itself
        logger.warning("the cache does not answer: the Celery workers' state was not kept")
    return state


def detail_allowed(request: HttpRequest) -> bool:
    """The services' states are for the machine itself (the compose health check) and for a monitor
    that sends ``HEALTH_TOKEN``; anyone else learns only the overall status."""
    from audit.context import client_address

    token = settings.HEALTH_TOKEN
    if token and hmac.compare_digest(request.headers.get(TOKEN_HEADER, "").encode(), token.encode()):
        return True
    try:
        return ipaddress.ip_address(client_address(request)).is_loopback
    except ValueError:
        return False


def health_report() -> dict[str, str]:
    """Database, Redis and Celery worker state, and an overall status.

    "failing" when the web process cannot do its work (database or Redis down); "degraded" when it
    can but background jobs would wait (no worker answers); "ok" otherwise. Without REDIS_URL, jobs
    run in the web process and Redis and the worker are "not configured". The worker is "unknown"
    only while another request asks it for the first time.
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
