"""Odd input to every URL pattern of the project: never a server error, never an ERROR in the log.

Each pattern (the Django admin's included, walked as tests/test_permission_matrix.py walks them)
gets, as an anonymous visitor, as Alice (an official of a party) and as the portal admin (the
admin's patterns: as an anonymous visitor and the portal admin, since anyone else meets its login
page): every path parameter in turn replaced by a NUL byte, an overlong text, invalid UTF-8
percent-escapes, a negative and a huge number; its usual request with odd query parameters; a body
whose every field is a NUL byte, and an empty one; and the methods it does not expect. Each answer
must be below 500 and no log record at ERROR level may appear (Django logs a 4xx at WARNING, a 5xx
or a suspicious operation at ERROR). An odd value that the pattern's converter refuses (a NUL byte
for ``<int:pk>``) never reaches a view: such addresses are asked once, as addresses matching no
pattern. PostgreSQL is where a NUL byte in a query is an error, SQLite where an integer beyond 64
bits is, so this runs on both.
"""

import logging
import re
from collections.abc import Iterator
from urllib.parse import unquote_to_bytes

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve
from django.urls.resolvers import RegexPattern
from django.utils.encoding import repercent_broken_unicode

from tests.test_permission_matrix import EXPECTATIONS, OWN, ROUTES, Case, Route, World, world_in_transaction

# Path parameters as they travel in an address (already percent-encoded).
ODD_VALUES = {
    "nul": "%00",
    "overlong": "x" * 5000,
    "invalid-utf8": "%FF%FE%C0%AF",
    "negative": "-1",
    "huge": "9" * 25,
}
# The parameters our pages read, and the admin's own (it refuses a query with any it does not know).
ODD_QUERY = "next=/%00&page=-1&on=%00&a=9999999999999999999999&b=%FF&actor=%00&agreement=-1"
ODD_ADMIN_QUERY = "q=%00&p=99999999999999999999&o=%FF"
ODD_FIELD = "\x00"
PERSONAS = [None, "alice", "admin_user"]
# A non-staff user meets the admin as an anonymous visitor does: at its login page.
ADMIN_PERSONAS = [None, "admin_user"]
OTHER_METHODS = {"get": ("post", "put"), "post": ("get", "put")}
# The admin's views take any method the way they take their own.
OTHER_ADMIN_METHODS = {"get": ("post",), "post": ("get",)}

_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def address(route: Route, values: dict[str, str]) -> str:
    """The route with ``values`` in its parameters, written out by hand (reverse() refuses odd values)."""
    text = route.route
    if isinstance(route.pattern.pattern, RegexPattern):
        text = text.replace("^", "").replace("$", "")
    return "/" + _PARAMETER.sub(lambda m: values[m.group(1) or m.group(2)], text)


def parameters(route: Route) -> list[str]:
    return [a or b for a, b in _PARAMETER.findall(route.route)]


def valid_values(world: World, route: Route, case: Case | None) -> dict[str, str]:
    """The parameters of a real object of the route (the matrix's own one), as text."""
    names = parameters(route)
    if not names or case is None:
        return dict.fromkeys(names, "1")
    url = case.url(world, OWN if OWN in case.objects else None).split("?")[0]
    return {name: str(value) for name, value in resolve(url).kwargs.items()}


def reaches(url: str, usual: str) -> bool:
    """Whether ``url`` gets past the URL resolver to the view of ``usual``, as a real request's would."""
    path = repercent_broken_unicode(unquote_to_bytes(url)).decode()
    try:
        return resolve(path).route == resolve(usual).route
    except Resolver404:
        return False


def requests_for(world: World, route: Route) -> Iterator[tuple[str, str, dict]]:
    """(method, address, body) of every odd request for ``route`` that reaches its view.

    An odd value its converter refuses (a NUL byte for ``<int:pk>``) never gets past the resolver:
    those addresses are asked once, in the test of addresses that match no pattern.
    """
    case = EXPECTATIONS.get(route.key)
    method = case.method if case else "get"
    which = OWN if case and OWN in case.objects else None
    data = case.data(world, which) if case else {}
    valid = valid_values(world, route, case)
    usual = address(route, valid)
    for name in valid:
        for odd in ODD_VALUES.values():
            url = address(route, {**valid, name: odd})
            if reaches(url, usual):
                yield method, url, data
    admin = is_admin(route)
    yield method, f"{usual}?{ODD_ADMIN_QUERY if admin else ODD_QUERY}", data
    if method == "post" and not admin:
        yield "post", usual, {}
        yield "post", usual, dict.fromkeys(data, ODD_FIELD) or {"text": ODD_FIELD}
    for other in (OTHER_ADMIN_METHODS if admin else OTHER_METHODS)[method]:
        yield other, usual, {}


def is_admin(route: Route) -> bool:
    return route.route.startswith("admin/")


def ask(world: World, persona: str | None, method: str, url: str, data: dict):
    """One request, in a savepoint rolled back afterwards."""
    with transaction.atomic():
        client = world.client(persona, raise_request_exception=False)
        response = getattr(client, method)(url, data) if method in ("get", "post") else getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def problems(world: World, persona: str | None, requests, caplog) -> list[str]:
    wrong = []
    for method, url, data in requests:
        caplog.clear()
        response = ask(world, persona, method, url, data)
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        if response.status_code >= 500 or errors:
            logged = "; ".join(f"{r.name}: {r.getMessage()[:120]}" for r in errors)
            wrong.append(f"{persona or 'anonymous'}: {method.upper()} {url[:150]} → {response.status_code} {logged}")
    return wrong


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    with world_in_transaction(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


def test_the_odd_values_reach_every_kind_of_path_parameter():
    converters = {m for route in ROUTES for m in re.findall(r"<(\w+):", route.route)}
    regex_routes = [r for r in ROUTES if isinstance(r.pattern.pattern, RegexPattern) and parameters(r)]

    assert converters >= {"int", "str", "path"}
    assert regex_routes, "the admin's app index takes its parameter through a regular expression"
    assert reaches("/agreements/1/sections/%00/", "/agreements/1/sections/2/")
    assert reaches("/agreements/1/sections/%FF/", "/agreements/1/sections/2/")
    assert reaches(f"/agreements/{ODD_VALUES['huge']}/", "/agreements/1/")
    assert not reaches("/agreements/%00/", "/agreements/1/")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_odd_input_gets_no_server_error_and_logs_no_error(world, route, caplog):
    personas = ADMIN_PERSONAS if is_admin(route) else PERSONAS
    requests = list(requests_for(world, route))

    wrong = [w for persona in personas for w in problems(world, persona, requests, caplog)]

    assert not wrong, f"{route.key}:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_odd_addresses_that_match_no_pattern_get_a_404_and_log_no_error(world, caplog):
    requests = [("get", f"/agreements/1/{odd}/", {}) for odd in ODD_VALUES.values()]
    requests += [("get", f"/{odd}", {}) for odd in ODD_VALUES.values()]

    wrong = [w for persona in PERSONAS for w in problems(world, persona, requests, caplog)]

    assert not wrong, "\n".join(wrong)
