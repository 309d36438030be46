"""Brute-force protection: a username is locked out from one address after repeated failures."""

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
