"""Rendered parts of pages kept in the cache under a key that names everything they show.

A fragment is rendered without the request, so it cannot show who is looking, or their messages,
unless the caller put that in the key. Its forms get the reader's own CSRF token each time it is
served: the fragment is rendered with a placeholder that is replaced on the way out.

Keys name content, not time. An agreement's fragments are keyed by the id of its newest audit entry,
which the database writes in the same transaction as any change to anything that belongs to the
agreement (see ``Agreement.objects.with_change_stamp``), so a change gives new keys and nothing has
to be deleted. The time limit bounds what a key does not cover: the names of people and of the
county shown beside the agreement's own data. This release and the database are part of every key;
``migrate`` and ``restore`` empty the cache, because audit entry ids may start again after them.
"""

import hashlib
import logging
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

TIMEOUT = 600  # seconds
# The cache only saves work: when its server is away, pages are rendered as if it were empty.
CACHE_ERRORS = (RedisError, OSError)
logger = logging.getLogger(__name__)
T = TypeVar("T")


def _scope() -> str:
    """What every key shares: this release's templates, translations, code and pinned packages (a
    pickled value is read back only by the code that wrote it), the database (two sites may share one
    Redis), and the CSRF placeholder (it changes with SECRET_KEY)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("templates", "locale", "agreements", "audit", "regions", "users", "yhdyspinta", "tym"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".html", ".mo", ".py"}:
                stat = path.stat()
                digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    lock = base / "requirements.lock"
    if lock.exists():
        digest.update(lock.read_bytes())
    database = settings.DATABASES["default"]
    digest.update(repr([database.get(k) for k in ("ENGINE", "NAME", "HOST", "PORT")]).encode())
    digest.update(str(CSRF_MARK).encode())
    return digest.hexdigest()[:24]


# Unguessable without SECRET_KEY, so text that people write cannot contain it.
CSRF_MARK = SimpleLazyObject(lambda: "csrf-" + salted_hmac("yhdyspinta.fragments", "csrf").hexdigest())
SCOPE = SimpleLazyObject(_scope)


def _cache_key(key: tuple[Hashable, ...]) -> str:
    parts = (str(SCOPE), translation.get_language(), timezone.get_current_timezone_name(), key)
    return "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def empty(**_signal) -> None:
    """Forget every fragment: after ``migrate`` and ``restore``, when audit entry ids may start again
    from a lower number. (A web process's own memory cache is emptied by restarting it.)"""
    try:
        cache.clear()
    except CACHE_ERRORS:
        logger.warning("The page cache did not answer; it was not emptied", exc_info=True)


def cached(key: tuple[Hashable, ...] | None, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for the same ``key`` (which must name everything the
    value depends on). Nothing is stored when ``compute`` raises, nor when ``key`` is None (the
    caller cannot name the content)."""
    if key is None:
        return compute()
    name = _cache_key(key)
    try:
        value = cache.get(name)
    except Exception:  # the server is away, or a value no longer unpickles: render it afresh
        logger.warning("The page cache did not answer; rendering without it", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(name, value, TIMEOUT)
        except CACHE_ERRORS:
            logger.warning("The page cache did not answer; rendering without it", exc_info=True)
    return value


class Fragment(NamedTuple):
    html: SafeString
    title: str  # what the context gave as ``page_title``, for the page around the fragment


def render_fragment(
    request: HttpRequest, template_name: str, key: tuple[Hashable, ...] | None, context: Callable[[], dict]
) -> Fragment:
    """``template_name`` rendered with ``context()``, from the cache when ``key`` was rendered before.

    ``key`` must name everything the output depends on (None: render every time); ``context`` is
    called only on a miss, so it is where the fragment's own queries go (and a 404 it raises is not
    cached). A ``page_title`` it returns is kept with the fragment.
    """

    def render() -> tuple[str, str]:
        data = context()
        return render_to_string(template_name, {**data, "csrf_token": str(CSRF_MARK)}), data.get("page_title", "")

    html, title = cached(None if key is None else (template_name, *key), render)
    return Fragment(mark_safe(html.replace(str(CSRF_MARK), get_token(request))), title)  # noqa: S308 - a template's
