"""A database connection kept between requests (CONN_MAX_AGE) lends no request's user to later writes.

The acting user travels to the triggers as a PostgreSQL session setting (audit.context). Requests
here are served as a WSGI server serves them: Django closes old connections when a request starts
and when it ends, and with CONN_MAX_AGE above 0 that keeps the connection open for the next one.
"""

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from agreements.services import goal_save
from audit.context import process_source
from audit.models import AuditEntry
from tests.agreements.factories import start_strategic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept_connections():
    """Connections kept for a minute and checked before reuse, as production has them."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    yield
    connection.close()
    connection.settings_dict.update(saved)


def served(client, method: str, url: str, **kwargs):
    """One request as the WSGI handler runs it: its request_started and request_finished signals."""
    close_old_connections()
    try:
        return getattr(client, method)(url, **kwargs)
    finally:
        close_old_connections()


def backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def after(since: int, **filters):
    return AuditEntry.objects.filter(id__gt=since, **filters).order_by("id")


def newest() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_each_write_on_a_kept_connection_is_recorded_as_its_own_requests_or_nobodys(
    kept_connections, client, alice, bob
):
    agreement = start_strategic("08")  # Tampere (Alice) and Nokia (Bob) are parties
    save = reverse("agreements:section_save", args=[agreement.pk, "2"])
    start = newest()
    pid = backend()

    client.force_login(alice)
    served(client, "post", save, data={"text": "<p>Alicen teksti</p>", "base_version": 0})
    by_alice = newest()
    client.force_login(bob)
    served(client, "post", save, data={"text": "<p>Bobin teksti</p>", "base_version": 1})
    by_bob = newest()
    served(Client(), "get", reverse("login"))  # an anonymous visitor's request, which writes nothing
    # Outside any request, on the same connection: a write the statement wrapper never sees (a
    # raw DB-API cursor, as a library or a maintenance script might use) …
    with connection.connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_agreement SET title = %s WHERE id = %s", ["Raaka", agreement.pk])
    raw = newest()
    # … and one through the ORM, as a management command or a Celery task makes it.
    goal_save(agreement=Agreement.objects.get(pk=agreement.pk), by=alice, title="Asuminen", theme="housing")

    assert backend() == pid  # one connection served every request and write
    alices = after(start, id__lte=by_alice, table="agreements_section")
    bobs = after(by_alice, id__lte=by_bob, table="agreements_section")
    assert [(e.actor, e.actor_id, e.source) for e in alices] == [("alice", alice.pk, f"POST {save}")]
    assert [(e.actor, e.actor_id, e.source) for e in bobs] == [("bob", bob.pk, f"POST {save}")]
    unattended = after(by_bob, id__lte=raw, table="agreements_agreement").get()
    assert unattended.changes["title"][1] == "Raaka"
    assert (unattended.actor, unattended.actor_id, unattended.ip, unattended.source) == ("", None, "", "")
    goal = after(raw, table="agreements_goal").get()
    assert (goal.actor, goal.actor_id, goal.ip, goal.source) == ("", None, "", process_source())
