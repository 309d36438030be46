"""Django's password validators as configured, and sessions that end."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from users.models import User


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("lyhyt-sana1", "too short"),  # 11 characters
        ("password1234", "too common"),
        ("804215739126", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(db, password, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_password(password, User(username="alice"))


def test_a_password_like_the_username_is_refused(db):
    with pytest.raises(ValidationError, match="too similar to the username"):
        validate_password("kirsi.virtanen", User(username="kirsi.virtanen"))


def test_a_long_unusual_password_is_accepted(db):
    validate_password("kolme pientä porsasta", User(username="alice"))


def test_a_session_lasts_eight_hours_and_ends_when_the_browser_closes(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": "correct horse battery staple"})

    cookie = client.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()
