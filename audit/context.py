"""Who is acting: the context every audit entry records.

A request (set by ``AuditContextMiddleware``), or a process such as ``manage.py load_areas`` or a
Celery worker. The database triggers read it at write time:

- PostgreSQL: from the session setting ``yhdyspinta.audit``, set just before each write statement
  by an execute wrapper on the connection;
- SQLite: by calling ``yhdyspinta_audit_context()``, a function this module registers on each
  connection, which returns what the wrapper resolved for the statement.

The context is resolved before the statement runs, never inside the trigger, so that reading
``request.user`` can itself query the database. On SQLite it lives only for that statement; on
PostgreSQL it is set anew before every write and cleared when the request ends, so a connection
kept open (CONN_MAX_AGE) never carries one request's user into the next. The setting is per
session: use session pooling, not transaction pooling, in front of PostgreSQL.
"""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.http import HttpRequest

SETTING = "yhdyspinta.audit"
SQLITE_FUNCTION = "yhdyspinta_audit_context"
WRITES = ("INSERT", "UPDATE", "DELETE", "WITH", "MERGE")

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_source: ContextVar[str | None] = ContextVar("audit_source", default=None)
_resolved: ContextVar[str | None] = ContextVar("audit_resolved", default=None)
_resolving: ContextVar[bool] = ContextVar("audit_resolving", default=False)


def process_source() -> str:
    """What runs this process, when no request does: ``manage.py load_areas``, ``celery``…"""
    program = Path(sys.argv[0]).name if sys.argv else ""
    if program == "manage.py" and len(sys.argv) > 1:
        return f"manage.py {sys.argv[1]}"
    if "celery" in program:
        return "celery"
    return program


@contextmanager
def acting(*, request: HttpRequest | None = None, source: str | None = None) -> Iterator[None]:
    """Record writes in this block as done by ``request``'s user, or by ``source``."""
    tokens = (_request.set(request), _source.set(source))
    try:
        yield
    finally:
        _request.reset(tokens[0])
        _source.reset(tokens[1])
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            forget(connection)


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes reads it, so both logs agree behind proxies."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def current() -> dict:
    """The context now: actor id and name, address and source; empty values where unknown."""
    request = _request.get()
    if request is None:
        return {"actor_id": None, "actor": "", "ip": "", "source": (_source.get() or process_source())[:200]}
    user = None
    if not _resolving.get():
        # Loading the user can itself write (a session re-keyed after a SECRET_KEY rotation):
        # those writes are recorded without an actor instead of asking for the user again.
        token = _resolving.set(True)
        try:
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
        finally:
            _resolving.reset(token)
    else:
        authenticated = False
    return {
        "actor_id": user.pk if authenticated else None,
        "actor": user.get_username() if authenticated else "",
        "ip": client_address(request),
        "source": (_source.get() or f"{request.method} {request.path}")[:200],
    }


def _is_write(sql: str) -> bool:
    head = sql.lstrip()
    while head.startswith("/*") and "*/" in head:  # leading comments
        head = head[head.index("*/") + 2 :].lstrip()
    words = head[:7].split(None, 1)
    return bool(words) and words[0].upper() in WRITES


def _wrapper(execute, sql, params, many, context):
    if not _is_write(sql):
        return execute(sql, params, many, context)
    resolved = json.dumps(current())
    connection = context["connection"]
    if connection.vendor == "postgresql":
        # The raw cursor: not through the wrappers again, and not counted as a query of the page.
        context["cursor"].cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, resolved])
        connection.audit_context_set = True
        return execute(sql, params, many, context)
    token = _resolved.set(resolved)
    try:
        return execute(sql, params, many, context)
    finally:
        _resolved.reset(token)


def _sqlite_context() -> str | None:
    return _resolved.get()


def forget(connection) -> None:
    """Clear the acting user from a PostgreSQL connection that outlives the request (CONN_MAX_AGE)."""
    if not getattr(connection, "audit_context_set", False) or connection.connection is None:
        return
    connection.audit_context_set = False
    try:
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', false)", [SETTING])
    except Exception:  # noqa: BLE001 - a broken connection is discarded by Django anyway
        connection.audit_context_set = True


def connection_prepare(sender, connection, **kwargs) -> None:
    """On every new database connection: the write wrapper, and on SQLite the context function."""
    if _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _sqlite_context)
