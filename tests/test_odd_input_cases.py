"""The odd requests that gave a server error, one by one, with the answer each one gets now.

tests/test_odd_input.py sends such input to every URL pattern; here are the cases that were met,
with the status they must get and what must not change.
"""

import logging

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from agreements.models import Agreement, Comment, Theme
from agreements.services import agreement_start, comment_add
from regions.models import Municipality, WellbeingCounty


@pytest.fixture
def agreement(carol):
    """Carol's interface agreement, with Alice's Tampere as a party."""
    return agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title="Perhekeskus",
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code="837"),
        main_theme=Theme.CHILDREN_AND_YOUTH,
    )


def errors_logged(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("get", "/regions/municipalities/%00/"),
        ("get", "/regions/counties/08%00/"),
        ("get", "/agreements/county/%00/"),
        ("get", "/agreements/{pk}/sections/%00/"),
        ("get", "/agreements/{pk}/sections/2%00/history/"),
        ("post", "/agreements/{pk}/sections/%00/comments/"),
        ("post", "/agreements/{pk}/sections/%0A/save/"),
    ],
)
def test_a_control_character_in_an_address_is_not_found(request, client, alice, caplog, method, address):
    if "{pk}" in address:
        address = address.format(pk=request.getfixturevalue("agreement").pk)
    client.force_login(alice)
    client.raise_request_exception = False

    response = getattr(client, method)(address, {"text": "Kommentti"})

    assert response.status_code == 404
    assert errors_logged(caplog) == []


@pytest.mark.parametrize(
    "address",
    ["/admin/regions/municipality/99999999999999999999/change/", "/agreements/9223372036854775808/"],
)
def test_a_number_beyond_any_id_in_an_address_is_not_found(client, admin_user, caplog, address):
    # SQLite refused to look up an integer beyond 64 bits through a one-to-one key (the area models').
    client.force_login(admin_user)
    client.raise_request_exception = False

    response = client.get(address)

    assert response.status_code == 404
    assert errors_logged(caplog) == []


def test_resolving_a_reply_on_its_own_is_a_bad_request_that_changes_nothing(client, alice, agreement, caplog):
    section = agreement.sections.get(key="2")
    thread = comment_add(section=section, text="Kysymys", by=alice)
    reply = comment_add(section=section, text="Vastaus", by=alice, parent=thread)
    client.force_login(alice)
    client.raise_request_exception = False

    response = client.post(reverse("agreements:comment_resolve", args=[agreement.pk, "2", reply.pk]))

    assert response.status_code == 400
    assert not Comment.objects.filter(pk__in=[thread.pk, reply.pk], resolved_at__isnull=False).exists()
    assert errors_logged(caplog) == []


@pytest.mark.parametrize("next_url", ["/login/", "/login/?next=/login/", "/login/?next=/me/"])
def test_someone_logged_in_opening_the_login_page_to_return_to_it_goes_to_the_page_after_login(
    client, alice, caplog, next_url
):
    client.force_login(alice)
    client.raise_request_exception = False

    response = client.get(reverse("login"), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert errors_logged(caplog) == []


def test_someone_logged_in_opening_the_login_page_still_goes_on_to_next(client, alice):
    client.force_login(alice)

    response = client.get(reverse("login"), {"next": reverse("agreements:list")})

    assert response["Location"] == reverse("agreements:list")
