"""Brute-force protection: a username is locked out from one address after repeated failures, and an
address after many more with any usernames (one password tried against many accounts)."""

import pytest
from django.urls import reverse

WRONG = {"username": "alice", "password": "not the password"}
RIGHT = {"username": "alice", "password": "correct horse battery staple"}


def attempt(client, credentials, address="192.0.2.10"):
    return client.post(reverse("login"), credentials, REMOTE_ADDR=address, headers={"accept-language": "en"})


@pytest.fixture
def locked_out(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, WRONG)


def test_after_five_failures_even_the_right_password_is_refused_with_a_clear_message(client, locked_out):
    response = attempt(client, RIGHT)

    assert response.status_code == 429
    html = response.content.decode()
    assert "too many failed attempts to log in with this username from your address" in html
    assert "paused for 15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_the_same_user_from_another_address_can_log_in(client, locked_out):
    response = attempt(client, RIGHT, address="198.51.100.7")

    assert response.status_code == 302


def test_another_user_from_the_same_address_can_log_in(client, locked_out, bob):
    response = attempt(client, {"username": "bob", "password": "correct horse battery staple"})

    assert response.status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, WRONG).status_code == 200

    assert attempt(client, RIGHT).status_code == 302


# --- One address, many usernames ------------------------------------------------------------------


def spray(client, usernames, address="192.0.2.10"):
    """One password tried against each of ``usernames`` from one address."""
    for username in usernames:
        attempt(client, {"username": username, "password": "Kesä2026!"}, address)


def test_the_address_limit_is_well_above_the_username_limit(settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT >= 5 * settings.AXES_FAILURE_LIMIT


def test_one_password_against_many_usernames_locks_the_address_out(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    spray(client, [f"user{n}" for n in range(10)])

    refused = attempt(client, RIGHT)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "too many failed attempts to log in from your address, with different usernames" in html
    assert "paused for 15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_an_address_locked_out_does_not_stop_the_same_users_elsewhere(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    spray(client, [f"user{n}" for n in range(10)])

    assert attempt(client, RIGHT, address="198.51.100.7").status_code == 302


def test_fewer_failures_from_an_address_than_its_limit_do_not_lock_it(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    spray(client, [f"user{n}" for n in range(9)])

    assert attempt(client, RIGHT).status_code == 302


def test_people_behind_one_address_who_mistype_their_own_passwords_are_not_locked_out(client, alice, bob, carol):
    # With the default limits: three colleagues each get their password wrong four times.
    for username in ("alice", "bob", "carol"):
        for _ in range(4):
            attempt(client, {"username": username, "password": "väärä salasana"})

    for username in ("alice", "bob", "carol"):
        assert attempt(client, {"username": username, "password": RIGHT["password"]}).status_code == 302


def test_logging_in_to_ones_own_account_does_not_reset_the_addresss_count(client, alice, bob, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    spray(client, [f"user{n}" for n in range(9)])

    assert attempt(client, {"username": "bob", "password": RIGHT["password"]}).status_code == 302
    client.logout()
    spray(client, ["user9"])

    assert attempt(client, RIGHT).status_code == 429
