"""Section pages and overviews are served from rendered parts in the cache (yhdyspinta.fragments).

What a reader relies on: a change shows at once, whichever way it was written; nobody is shown a
rendering made for someone with other rights, other parties or another language; forms carry the
reader's own CSRF token; and a reader who lost access gets 404 although the page is in the cache.
"""

import logging
import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Comment, Party
from agreements.services import comment_add, section_save
from regions.models import Municipality
from tests.agreements.factories import start_strategic
from users.models import Role
from users.services import organisation_role_grant, organisation_role_revoke
from yhdyspinta.fragments import CSRF_MARK

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def agreement(alice):
    agreement = start_strategic()
    section = agreement.sections.get(key="2")
    section_save(section=section, text="<p>Alkuperäinen teksti</p>", base_version=0, by=alice)
    comment_add(section=section, text="Ensimmäinen kommentti", by=alice)
    return agreement


def section_url(agreement, key: str = "2") -> str:
    return reverse("agreements:section", args=[agreement.pk, key])


def page(client: Client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def queries(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        html = page(client, url)
    return html, len(captured.captured_queries)


def test_a_second_view_comes_from_the_cache_and_shows_the_same(client, agreement, alice):
    client.force_login(alice)

    first, cold = queries(client, section_url(agreement))
    second, warm = queries(client, section_url(agreement))

    assert warm < cold  # no section, comment or party queries the second time
    assert TOKEN.sub("", second) == TOKEN.sub("", first)
    assert "Ensimmäinen kommentti" in second and "Alkuperäinen teksti" in second


def test_changes_written_past_the_services_show_at_once(client, agreement, alice):
    """The key is the agreement's newest audit entry, written by the database on any write."""
    client.force_login(alice)
    page(client, section_url(agreement))
    section = agreement.sections.get(key="2")

    Comment.objects.filter(section=section).update(text="Muokattu suoraan")
    assert "Muokattu suoraan" in page(client, section_url(agreement))

    with connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_section SET text = %s WHERE id = %s", ["<p>SQL-teksti</p>", section.pk])
    assert "SQL-teksti" in page(client, section_url(agreement))

    Party.objects.filter(agreement=agreement, official_name="Tampere").update(official_name="Tampereen kaupunki")
    assert "Tampereen kaupunki" in page(client, section_url(agreement))


def test_a_new_comment_shows_on_the_section_and_the_overview(client, agreement, alice, bob):
    client.force_login(alice)
    overview = reverse("agreements:detail", args=[agreement.pk])
    assert "1 open comment" in page(client, overview, accept_language="en")
    page(client, section_url(agreement))

    comment_add(section=agreement.sections.get(key="2"), text="Bobin huomio", by=bob)

    assert "Bobin huomio" in page(client, section_url(agreement))
    assert "2 open comments" in page(client, overview, accept_language="en")


def test_readers_with_other_rights_or_parties_get_their_own_rendering(client, agreement, alice, bob, carol, sam):
    organisation_role_grant(user=alice, organisation=Municipality.objects.get(code="536"), role=Role.OFFICIAL)
    url = section_url(agreement)
    seen = {}
    for user in (alice, carol, sam, bob):
        client.force_login(user)
        seen[user.username] = page(client, url, accept_language="en")

    # Alice speaks for Tampere and Nokia, so she chooses; Bob speaks for Nokia alone.
    assert 'name="party"' in seen["alice"]
    assert 'name="party"' not in seen["bob"]
    # Sam, a signatory, may comment but not edit.
    assert "data-autosave" in seen["carol"] and "data-autosave" in seen["bob"]
    assert "data-autosave" not in seen["sam"]
    assert "Send the reply" in seen["sam"]


def test_each_reader_gets_their_own_csrf_token_in_a_cached_page(agreement, alice, bob):
    url = section_url(agreement)
    readers = {}
    for user in (alice, bob):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        html = page(client, url)
        assert str(CSRF_MARK) not in html
        readers[user.username] = (client, TOKEN.findall(html))

    bob_client, bob_tokens = readers["bob"]
    thread = Comment.objects.get(text="Ensimmäinen kommentti")
    response = bob_client.post(
        reverse("agreements:comment_add", args=[agreement.pk, "2"]),
        {"csrfmiddlewaretoken": bob_tokens[0], "text": "Vastaus välimuistin sivulta", "parent": thread.pk},
    )

    assert response.status_code == 302
    assert thread.replies.get().author == bob


def test_a_reader_who_lost_access_gets_404_although_the_page_is_cached(client, agreement, alice):
    client.force_login(alice)
    page(client, section_url(agreement))
    page(client, reverse("agreements:detail", args=[agreement.pk]))

    organisation_role_revoke(user=alice, organisation=Municipality.objects.get(code="837"), role=Role.OFFICIAL)

    assert client.get(section_url(agreement)).status_code == 404
    assert client.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 404


def test_each_language_has_its_own_rendering(client, agreement, alice):
    client.force_login(alice)

    assert "Kommentit" in page(client, section_url(agreement), accept_language="fi")
    assert "Kommentarer" in page(client, section_url(agreement), accept_language="sv")
    assert "Comments" in page(client, section_url(agreement), accept_language="en")


def test_without_a_cache_server_pages_are_rendered_all_the_same(client, agreement, alice, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    client.force_login(alice)

    with caplog.at_level(logging.WARNING, logger="yhdyspinta.fragments"):
        html = page(client, section_url(agreement))

    assert "Ensimmäinen kommentti" in html
    assert "The page cache did not answer" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slow_write_past_the_services_is_not_hidden_by_a_quicker_one(client):
    """On PostgreSQL ids are handed out before commit. A queryset update that commits after a later
    service save must still give the page a new key: the audit trigger holds the agreement's row
    until the slow write commits, so the quick save waits for it."""
    from regions.services import areas_load
    from tests.conftest import make_user

    areas_load()
    alice = make_user("alice", Municipality.objects.get(code="837"))
    agreement = start_strategic()
    section = agreement.sections.get(key="2")
    comment = comment_add(section=section, text="Ensimmäinen kommentti", by=alice)
    client.force_login(alice)
    url = section_url(agreement)
    writing, release, quick_done = threading.Event(), threading.Event(), threading.Event()

    def slow_write():
        try:
            with transaction.atomic():
                Comment.objects.filter(pk=comment.pk).update(text="Hidas muutos")
                writing.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def quick_save():
        try:
            section_save(section=section, text="<p>Nopea tallennus</p>", base_version=0, by=alice)
            quick_done.set()
        finally:
            connections.close_all()

    slow = threading.Thread(target=slow_write)
    slow.start()
    assert writing.wait(timeout=10)
    quick = threading.Thread(target=quick_save)
    quick.start()
    quick_done.wait(timeout=1)  # without the trigger's lock the save would be committed by now
    page(client, url)  # a reader in between: what it renders is cached under the newest entry it sees
    release.set()
    slow.join(timeout=10)
    quick.join(timeout=10)

    html = page(client, url)
    assert "Hidas muutos" in html and "Nopea tallennus" in html
