"""The Django admin opens every registered model's list and a change page for the portal admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.agreements.factories import start_strategic


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_every_admin_list_opens_with_a_search(client, admin_user, model):
    start_strategic()
    client.force_login(admin_user)

    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), {"q": "a"})

    assert response.status_code == 200


def test_agreements_are_read_only_in_the_admin(client, admin_user):
    agreement = start_strategic()
    client.force_login(admin_user)
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])

    page = client.get(url).content.decode()
    client.post(url, {"title": "Changed"})

    agreement.refresh_from_db()
    assert 'name="title"' not in page
    assert agreement.title != "Changed"


# --- Branded and translated ---------------------------------------------------------------------

APP_NAMES = {
    "fi": {"axes": "Kirjautumisen suojaus", "otp_totp": "Kaksivaiheinen tunnistautuminen", "agreements": "Sopimukset"},
    "sv": {"axes": "Inloggningsskydd", "otp_totp": "Tvåstegsverifiering", "agreements": "Avtal"},
}


def admin_index(client, admin_user, language):
    client.force_login(admin_user)
    return client.get(reverse("admin:index"), headers={"accept-language": language})


@pytest.mark.parametrize(
    ("language", "header"), [("fi", "Yhdyspinta – ylläpito"), ("sv", "Yhdyspinta – administration")]
)
def test_the_admin_is_branded_yhdyspinta_in_the_readers_language(client, admin_user, language, header):
    html = admin_index(client, admin_user, language).content.decode()

    assert f"<title>{header}" in html or f"| {header}</title>" in html
    assert f'<a href="{reverse("admin:index")}">{header}</a>' in html
    assert "Django" not in html.split("<body", 1)[1]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_app_in_the_admin_has_a_translated_name(client, admin_user, language):
    apps = {app["app_label"]: str(app["name"]) for app in admin_index(client, admin_user, language).context["app_list"]}

    for label, name in APP_NAMES[language].items():
        assert apps[label] == name
    for label, name in apps.items():
        assert name not in (label, label.title(), "Axes", "Otp_Totp"), f"{label} is shown as {name}"


@pytest.mark.parametrize(
    ("language", "models"),
    [
        (
            "fi",
            {"Kirjautumisyritykset", "Epäonnistuneet kirjautumiset", "Kirjautumistapahtumat", "Todennussovellukset"},
        ),
        ("sv", {"Inloggningsförsök", "Misslyckade inloggningar", "Inloggningshändelser", "Autentiseringsappar"}),
    ],
)
def test_the_login_protection_and_two_factor_models_have_translated_names(client, admin_user, language, models):
    app_list = admin_index(client, admin_user, language).context["app_list"]

    shown = {str(m["name"]) for app in app_list if app["app_label"] in ("axes", "otp_totp") for m in app["models"]}
    assert shown == models


def test_renaming_the_third_party_apps_asks_for_no_migration(db, capsys):
    from django.core.management import call_command

    call_command("makemigrations", "axes", "otp_totp", "--check", "--dry-run")

    assert "No changes detected" in capsys.readouterr().out


def test_an_agreements_themes_show_by_their_labels_in_the_admin(client, admin_user):
    agreement = start_strategic(themes=["wellbeing", "housing"])
    client.force_login(admin_user)

    html = client.get(
        reverse("admin:agreements_agreement_change", args=[agreement.pk]), headers={"accept-language": "en"}
    ).content.decode()

    assert "Wellbeing and health promotion, Housing" in html
    assert "[&quot;wellbeing&quot;" not in html and '["wellbeing"' not in html
