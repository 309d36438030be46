"""Two-factor authentication (TOTP): optional for everyone, required of whom TWO_FACTOR_REQUIRED_FOR lists."""

import base64
import datetime
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.test_settings import start_django
from users.models import Role, User
from users.permissions import two_factor_required
from users.services import two_factor_device_confirm, two_factor_device_create
from yhdyspinta.env import env_choices

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


def code(device: TOTPDevice) -> str:
    """A valid code of ``device`` now: the current one, or the next step's when the current one was used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that are none of the codes ``device`` would accept around now."""
    valid = set()
    for steps in range(-3, 4):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + steps * device.step
        valid.add(f"{totp.token():06d}")
    return next(c for c in (f"{n:06d}" for n in range(0, 10**6, 111111)) if c not in valid)


def turn_on(user: User) -> TOTPDevice:
    device = two_factor_device_create(user=user)
    return two_factor_device_confirm(user=user, token=code(device))


def log_in(client: Client, user: User) -> None:
    """The password step only, through the real login form."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def log_in_fully(client: Client, user: User, device: TOTPDevice) -> None:
    log_in(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": code(device)})
    assert response.status_code == 302


def wait_out_throttling(device: TOTPDevice) -> None:
    """As if the delay django-otp imposes after a wrong code had passed."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=2)
    )


def verify_url(next_url: str) -> str:
    return f"{reverse('two_factor_verify')}?next={next_url.replace('/', '%2F')}"


# Setting it up


def test_alice_sets_up_two_factor_with_the_qr_code_and_a_code_from_her_app(client, alice):
    client.force_login(alice)
    assert "Two-factor authentication is off." in client.get(reverse("users:two_factor")).content.decode()

    assert client.post(reverse("users:two_factor_create")).url == reverse("users:two_factor")
    device = TOTPDevice.objects.get(user=alice)
    page = client.get(reverse("users:two_factor")).content.decode()

    assert not device.confirmed
    qr = page.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    assert base64.b64decode(qr).startswith(b"<svg")
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert "style=" not in page

    response = client.post(reverse("users:two_factor"), {"code": code(device)}, follow=True)

    device.refresh_from_db()
    assert device.confirmed
    assert "Two-factor authentication is on." in response.content.decode()
    # The code she just entered counts for this session: she is not asked for another.
    assert client.get(reverse("agreements:list")).status_code == 200


def test_a_wrong_code_is_shown_at_the_field_and_leaves_the_device_unconfirmed(client, alice):
    client.force_login(alice)
    device = two_factor_device_create(user=alice)

    response = client.post(reverse("users:two_factor"), {"code": wrong_code(device)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The code is wrong or has expired" in html
    assert 'id="id_code_error"' in html and 'aria-describedby="id_code_helptext id_code_error"' in html
    assert 'aria-invalid="true"' in html
    device.refresh_from_db()
    assert not device.confirmed


def test_starting_again_replaces_the_unconfirmed_device_with_a_new_secret(client, alice):
    client.force_login(alice)
    first = two_factor_device_create(user=alice)

    client.post(reverse("users:two_factor_create"))

    assert list(TOTPDevice.objects.filter(user=alice).exclude(pk=first.pk).values_list("confirmed", flat=True)) == [
        False
    ]
    assert not TOTPDevice.objects.filter(pk=first.pk).exists()


# Logging in


def test_after_the_password_alice_is_sent_to_enter_a_code_wherever_she_goes(client, alice):
    turn_on(alice)

    log_in(client, alice)

    assert client.get(reverse("agreements:list")).url == verify_url(reverse("agreements:list"))
    assert client.get(reverse("users:me")).url == verify_url(reverse("users:me"))
    assert client.get(reverse("users:two_factor")).url == verify_url(reverse("users:two_factor"))
    page = client.get(reverse("two_factor_verify"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_admin_asks_for_the_code_too(client, admin_user):
    turn_on(admin_user)

    log_in(client, admin_user)

    assert client.get("/admin/").url == verify_url("/admin/")


def test_logging_out_and_switching_language_need_no_code(client, alice):
    turn_on(alice)
    log_in(client, alice)

    assert client.post(reverse("set_language"), {"language": "sv", "next": "/"}).url == "/"
    assert client.post(reverse("logout")).url == reverse("home")
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused(client, alice):
    device = turn_on(alice)
    log_in(client, alice)

    response = client.post(reverse("two_factor_verify"), {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "The code is wrong or has expired" in response.content.decode()
    assert client.get(reverse("users:me")).status_code == 302


def test_a_code_that_is_not_six_digits_is_explained(client, alice):
    turn_on(alice)
    log_in(client, alice)

    response = client.post(reverse("two_factor_verify"), {"code": "12ab"})

    assert "Enter the code as the 6 digits your authenticator app shows." in response.content.decode()


def test_after_a_wrong_code_even_the_right_one_is_refused_for_a_while(client, alice, settings):
    # django-otp's delay doubles with each failure from 1 s; a longer first step keeps the test exact.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = turn_on(alice)
    log_in(client, alice)
    client.post(reverse("two_factor_verify"), {"code": wrong_code(device)})

    response = client.post(reverse("two_factor_verify"), {"code": code(device)})

    assert response.status_code == 200
    assert "Too many wrong codes. Try again in" in response.content.decode()
    assert 'id="id_code_error"' in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    wait_out_throttling(device)
    assert client.post(reverse("two_factor_verify"), {"code": code(device)}).status_code == 302


def test_throttling_is_on_with_the_projects_settings(alice):
    assert TOTPDevice(user=alice).throttling_enabled


def test_the_right_code_lets_alice_in_where_she_was_going(client, alice):
    device = turn_on(alice)
    log_in(client, alice)
    session_key = client.session.session_key

    response = client.post(reverse("two_factor_verify"), {"code": code(device), "next": reverse("agreements:list")})

    assert response.url == reverse("agreements:list")
    assert client.get(reverse("agreements:list")).status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != session_key


def test_a_code_is_accepted_only_once(client, alice):
    device = turn_on(alice)
    log_in(client, alice)
    used = code(device)
    client.post(reverse("two_factor_verify"), {"code": used})
    client.post(reverse("logout"))
    log_in(client, alice)

    response = client.post(reverse("two_factor_verify"), {"code": used})

    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_off_site_next_is_not_followed(client, alice):
    device = turn_on(alice)
    log_in(client, alice)

    response = client.post(reverse("two_factor_verify"), {"code": code(device), "next": "https://evil.example/"})

    assert response.url == reverse("home")


# Required of some


@pytest.mark.parametrize(
    ("persona", "required_for"),
    [("admin_user", "superuser"), ("carol", "coordinator"), ("olga", "admin"), ("sam", "signatory")],
)
def test_someone_required_to_use_it_can_reach_nothing_but_the_setup_page(
    client, settings, request, persona, required_for
):
    settings.TWO_FACTOR_REQUIRED_FOR = [required_for]
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.get(reverse("agreements:list"), follow=True)

    assert response.redirect_chain == [(reverse("users:two_factor"), 302)]
    html = response.content.decode()
    assert "Your role requires two-factor authentication. Set it up to continue." in html
    assert reverse("users:two_factor_remove") not in html
    for path in (reverse("users:me"), reverse("home"), "/admin/", reverse("two_factor_verify")):
        assert client.get(path).url == reverse("users:two_factor"), path
    assert client.post(reverse("logout")).url == reverse("home")


def test_carol_can_go_on_once_she_has_set_it_up(client, carol, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["coordinator"]
    client.force_login(carol)
    client.post(reverse("users:two_factor_create"))
    device = TOTPDevice.objects.get(user=carol)

    client.post(reverse("users:two_factor"), {"code": code(device)})

    assert client.get(reverse("agreements:list")).status_code == 200


def test_it_is_not_required_of_an_official(client, alice, carol, admin_user, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["superuser", "coordinator"]
    client.force_login(alice)

    assert client.get(reverse("agreements:list")).status_code == 200
    assert not two_factor_required(alice)
    assert two_factor_required(carol) and two_factor_required(admin_user)


def test_nobody_is_required_by_default(carol, admin_user, settings):
    assert settings.TWO_FACTOR_REQUIRED_FOR == []
    assert not two_factor_required(carol) and not two_factor_required(admin_user)


def test_an_unknown_value_in_the_setting_fails_naming_it(monkeypatch, settings):
    monkeypatch.setenv("TWO_FACTOR_REQUIRED_FOR", "coordinator, boss")

    with pytest.raises(ImproperlyConfigured, match="TWO_FACTOR_REQUIRED_FOR .* 'boss' is none of them"):
        env_choices("TWO_FACTOR_REQUIRED_FOR", settings.TWO_FACTOR_CHOICES, [])


def test_the_setting_reads_a_comma_separated_list(monkeypatch, settings):
    monkeypatch.setenv("TWO_FACTOR_REQUIRED_FOR", " Superuser, coordinator ,")

    assert env_choices("TWO_FACTOR_REQUIRED_FOR", settings.TWO_FACTOR_CHOICES, []) == ["superuser", "coordinator"]


def test_the_choices_are_superuser_and_the_roles(settings):
    assert set(settings.TWO_FACTOR_CHOICES) == {"superuser", *Role.values}


def test_the_portal_refuses_to_start_with_an_unknown_value():
    result = start_django(TWO_FACTOR_REQUIRED_FOR="superuser,boss")

    assert result.returncode != 0
    assert "'boss' is none of them" in result.stderr


# Turning it off


def test_turning_it_off_needs_a_valid_code(client, alice):
    device = turn_on(alice)
    log_in_fully(client, alice, device)

    refused = client.post(reverse("users:two_factor_remove"), {"code": wrong_code(device)})

    assert "The code is wrong or has expired" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()

    wait_out_throttling(device)
    response = client.post(reverse("users:two_factor_remove"), {"code": code(device)}, follow=True)

    assert "Two-factor authentication is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert client.get(reverse("agreements:list")).status_code == 200


def test_someone_required_to_use_it_cannot_turn_it_off(client, carol, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["coordinator"]
    device = turn_on(carol)
    log_in_fully(client, carol, device)

    page = client.get(reverse("users:two_factor")).content.decode()
    response = client.post(reverse("users:two_factor_remove"), {"code": code(device)})

    assert reverse("users:two_factor_remove") not in page
    assert "so it cannot be turned off" in page
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=carol, confirmed=True).exists()


def test_the_my_organisations_page_links_to_two_factor(client, alice):
    client.force_login(alice)

    assert reverse("users:two_factor") in client.get(reverse("users:me")).content.decode()
