"""EMAIL_URL: the SMTP server of the notifications, or the console when unset."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yhdyspinta.env import env_email


def test_without_email_url_mails_go_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)

    assert env_email("EMAIL_URL") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_an_smtp_url_with_starttls_names_the_server_and_its_login(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://portaali%40kunta.fi:p%C3%A4ss%2Fword@smtp.kunta.fi:587")

    assert env_email("EMAIL_URL") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.kunta.fi",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "portaali@kunta.fi",
        "EMAIL_HOST_PASSWORD": "päss/word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_smtps_defaults_to_port_465(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtps://smtp.kunta.fi")

    settings = env_email("EMAIL_URL")

    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"], settings["EMAIL_USE_TLS"]) == (465, True, False)


@pytest.mark.parametrize("url", ["imap://mail.kunta.fi", "smtp://", "smtp://host:port"])
def test_a_malformed_email_url_stops_start_up_with_its_name(monkeypatch, url):
    monkeypatch.setenv("EMAIL_URL", url)

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL")
