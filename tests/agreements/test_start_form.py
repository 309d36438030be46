import datetime

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


def test_the_validity_dates_are_prefilled_with_the_council_term_as_d_m_yyyy(client, carol):
    client.force_login(carol)

    html = client.get(reverse("agreements:start", args=["08"]), headers={"accept-language": "en"}).content.decode()

    assert 'name="valid_from" value="1.6.2025"' in html
    assert 'name="valid_until" value="31.5.2029"' in html
    assert 'type="date"' not in html


def test_validity_dates_typed_as_d_m_yyyy_are_kept_and_a_two_digit_year_is_refused(client, carol):
    client.force_login(carol)
    form = {"kind": "strategic", "title": "Pirkanmaan sopimus", "language": "fi", "valid_until": "31.12.2027"}

    refused = client.post(
        reverse("agreements:start", args=["08"]), {**form, "valid_from": "1.1.26"}, headers={"accept-language": "en"}
    )
    client.post(reverse("agreements:start", args=["08"]), {**form, "valid_from": "1.1.2026"})

    assert "Enter the date as d.m.yyyy, for example 1.6.2025." in refused.content.decode()
    agreement = Agreement.objects.get()
    assert (agreement.valid_from, agreement.valid_until) == (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
