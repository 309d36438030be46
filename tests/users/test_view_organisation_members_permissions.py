"""Who may see an organisation's members: its own people and portal admins; others get 404."""

import pytest
from django.urls import reverse

from regions.models import Municipality
from tests.pages import without_csrf_tokens
from users.models import Role
from users.services import organisation_role_revoke

TAMPERE = "837"


def members_url(code: str) -> str:
    return reverse("regions:organisation_members", args=[Municipality.objects.get(code=code).pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),  # official of Tampere
        ("sam", 200),  # signatory of Tampere
        ("olga", 200),  # admin of Tampere
        ("admin_user", 200),  # portal admin
        ("bob", 404),  # official of Nokia, same county
        ("carol", 404),  # coordinator of the county Tampere is in
        ("dave", 404),  # official of Helsinki
        ("erin", 404),  # employment authority Tampere belongs to
        (None, 404),  # anonymous
    ],
)
def test_members_of_tampere(client, request, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    else:
        request.getfixturevalue("areas")

    response = client.get(members_url(TAMPERE))

    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Tampere" in html
        if persona != "admin_user":  # a member sees themselves in the list; the portal admin is no member
            assert f">{persona}</td>" in html


def test_a_missing_organisation_looks_the_same_as_a_forbidden_one(client, alice):
    client.force_login(alice)

    missing_url, forbidden_url = reverse("regions:organisation_members", args=[10**9]), members_url("536")
    missing = client.get(missing_url)
    forbidden = client.get(forbidden_url)

    assert missing.status_code == forbidden.status_code == 404
    # The page differs only in the address asked for (kept for the language switch) and its tokens.
    assert without_csrf_tokens(missing.content.decode()).replace(missing_url, "…") == without_csrf_tokens(
        forbidden.content.decode()
    ).replace(forbidden_url, "…")


def test_a_revoked_role_takes_the_permission_with_it(client, alice):
    organisation_role_revoke(user=alice, organisation=Municipality.objects.get(code=TAMPERE), role=Role.OFFICIAL)
    client.force_login(alice)

    assert client.get(members_url(TAMPERE)).status_code == 404


def test_members_page_queries_do_not_grow_with_members(client, alice, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_user

    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(members_url(TAMPERE))
    for n in range(10):
        make_user(f"tampere{n}", Municipality.objects.get(code=TAMPERE))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(members_url(TAMPERE))
