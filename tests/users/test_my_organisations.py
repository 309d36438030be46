from django.urls import reverse

from regions.models import Organisation, WellbeingCounty
from users.models import Role
from users.services import organisation_role_grant


def test_a_user_sees_their_organisations_and_roles(client, alice):
    organisation_role_grant(user=alice, organisation=WellbeingCounty.objects.get(code="08"), role=Role.SIGNATORY)
    client.force_login(alice)

    html = client.get(reverse("users:me"), headers={"accept-language": "en"}).content.decode()

    assert "Tampere" in html and "Official" in html
    assert "Pirkanmaa wellbeing services county" in html and "Signatory" in html
    assert "Helsinki" not in html


def test_a_user_with_no_role_is_told_how_to_get_one(client, areas):
    from tests.conftest import make_user

    client.force_login(make_user("nobody"))

    html = client.get(reverse("users:me"), headers={"accept-language": "en"}).content.decode()

    assert "You have no role in any organisation yet" in html


def test_anonymous_is_sent_to_log_in(client, areas):
    response = client.get(reverse("users:me"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logging_in_with_the_form_lands_on_the_home_page(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse battery staple"})

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_password_is_explained_and_keeps_the_username(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "wrong"}, headers={"accept-language": "en"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert 'value="alice"' in html


def test_login_does_not_redirect_off_site(client, alice):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "alice", "password": "correct horse battery staple", "next": "https://evil.example/"},
    )

    assert response.url == reverse("home")


def test_kela_is_one_organisation(areas):
    assert Organisation.objects.get(kind=Organisation.Kind.KELA).name_sv == "Folkpensionsanstalten (FPA)"
