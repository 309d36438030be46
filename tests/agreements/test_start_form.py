from django.urls import reverse

from agreements.models import Agreement
from regions.models import Municipality


def test_a_coordinator_starts_a_strategic_agreement_from_the_form(client, carol):
    client.force_login(carol)

    response = client.post(
        reverse("agreements:start", args=["08"]),
        {
            "kind": "strategic",
            "title": "Pirkanmaan sopimus",
            "language": "fi",
            "themes": ["wellbeing"],
            "valid_from": "2025-06-01",
            "valid_until": "2029-05-31",
        },
    )

    agreement = Agreement.objects.get()
    assert response.url == reverse("agreements:detail", args=[agreement.pk])
    assert agreement.parties.count() == 24
    assert agreement.themes == ["wellbeing"]


def test_an_interface_agreement_without_municipalities_is_explained_next_to_the_field(client, carol):
    client.force_login(carol)

    response = client.post(
        reverse("agreements:start", args=["08"]),
        {
            "kind": "interface",
            "title": "Perhekeskus",
            "language": "fi",
            "main_theme": "children_and_youth",
            "valid_from": "2025-06-01",
            "valid_until": "2029-05-31",
        },
        headers={"accept-language": "en"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one municipality." in html
    assert 'value="Perhekeskus"' in html
    assert not Agreement.objects.exists()


def test_the_form_offers_the_countys_municipalities_and_refuses_a_backwards_period(client, carol):
    client.force_login(carol)

    response = client.post(
        reverse("agreements:start", args=["08"]),
        {
            "kind": "interface",
            "title": "x",
            "language": "fi",
            "main_theme": "housing",
            "municipalities": [Municipality.objects.get(code="837").pk],
            "valid_from": "2029-06-01",
            "valid_until": "2025-05-31",
        },
        headers={"accept-language": "en"},
    )

    html = response.content.decode()
    assert "The end cannot be before the start." in html
    assert html.count('name="municipalities"') == 23
    assert not Agreement.objects.exists()
