"""No redirect after a form leaves the site, whatever ``next`` says.

``next=https://evil.example/`` after logging in is tested in tests/users/test_my_organisations.py
and after the two-factor step in tests/users/test_two_factor.py; here are the forms of an address
that browsers read as another host, at every place that follows a ``next``.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

PASSWORD = "correct horse battery staple"
OFF_SITE = [
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    " //evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
]


def assert_on_site(response) -> None:
    assert response.status_code == 302
    location = response["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location and "javascript" not in location


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_logging_in_does_not_redirect_off_site(client, alice, next_url):
    response = client.post(
        f"{reverse('login')}?next={next_url}", {"username": "alice", "password": PASSWORD, "next": next_url}
    )

    assert_on_site(response)
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_login_page_of_someone_logged_in_does_not_redirect_off_site(client, alice, next_url):
    client.force_login(alice)

    assert_on_site(client.get(reverse("login"), {"next": next_url}))


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_two_factor_step_does_not_redirect_off_site(client, alice, next_url):
    client.force_login(alice)

    assert_on_site(client.get(reverse("two_factor_verify"), {"next": next_url}))


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_logging_out_does_not_redirect_off_site(client, alice, next_url):
    client.force_login(alice)

    assert_on_site(client.post(reverse("logout"), {"next": next_url}))


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_switching_the_language_does_not_redirect_off_site(client, areas, next_url):
    assert_on_site(client.post(reverse("set_language"), {"language": "sv", "next": next_url}))


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_admins_login_does_not_redirect_off_site(client, admin_user, next_url):
    response = client.post(
        f"{reverse('admin:login')}?next={next_url}", {"username": "root", "password": PASSWORD, "next": next_url}
    )

    assert_on_site(response)
