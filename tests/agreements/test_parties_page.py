"""The parties page: a table of text, one row opened for editing at a time, and one form to add."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Party, Theme
from agreements.services import agreement_start
from regions.models import Municipality, WellbeingCounty

HTMX = {"HX-Request": "true", "accept-language": "en"}
ENGLISH = {"accept-language": "en"}


@pytest.fixture
def small(carol) -> Agreement:
    """The county and Tampere."""
    return agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title="Pieni",
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code="837"),
        main_theme=Theme.HOUSING,
    )


@pytest.fixture
def large(carol) -> Agreement:
    """Pirkanmaa's strategic agreement: the county and its 23 municipalities."""
    return agreement_start(by=carol, county=WellbeingCounty.objects.get(code="08"), title="Suuri")


def tampere(agreement: Agreement) -> Party:
    return agreement.parties.get(organisation__municipality__code="837")


def update_url(party: Party) -> str:
    return reverse("agreements:party_update", args=[party.agreement_id, party.pk])


def row_url(party: Party) -> str:
    return reverse("agreements:party_row", args=[party.agreement_id, party.pk])


def parties_url(agreement: Agreement) -> str:
    return reverse("agreements:parties", args=[agreement.pk])


def test_the_coordinators_parties_page_is_a_table_of_text_with_one_form_to_add(client, carol, large):
    client.force_login(carol)

    html = client.get(parties_url(large), headers=ENGLISH).content.decode()

    parties = list(large.parties.all())
    assert len(parties) == 24
    # No party's details are a form field: each row shows them as text and links to its form.
    assert not re.search(r'name="party-\d+-', html)
    assert len(re.findall(r"<select", html)) == 1  # the organisation to add
    for party in parties:
        row = re.search(rf'<tr id="party-{party.pk}">(.*?)</tr>', html, re.S).group(1)
        assert f'<th scope="row">{party.official_name}</th>' in row
        assert f'href="{update_url(party)}" hx-get="{update_url(party)}"' in row
    # Forms: one to add a party, and one button each to remove a party but the county.
    actions = re.findall(r'<form[^>]*action="([^"]*)"', html)
    assert sum("/parties/add/" in a for a in actions) == 1
    assert sum(a.endswith("/remove/") for a in actions) == 23
    assert not any(re.search(r"/parties/\d+/$", a) for a in actions)


def test_the_organisation_select_writes_the_markup_djangos_select_writes(large):
    from django import forms

    from agreements.forms import LongSelect, PartyAddForm
    from agreements.selectors import party_candidates

    field = PartyAddForm(organisations=party_candidates(large)).fields["organisation"]
    chosen = str(party_candidates(large)[5].pk)
    grouped = [("", "–"), ("Kunnat & muut", [("1", "Ähtäri"), ("2", 'A <b>"c"</b>')]), ("3", "Muu")]
    attrs = {"id": "id_organisation", "required": True, "aria-invalid": "true", "disabled": False}

    for choices, value in ((field.choices, chosen), (grouped, "2")):
        ours, django = LongSelect(choices=choices), forms.Select(choices=choices)
        written = [re.sub(r">\s+<", "><", w.render("organisation", value, attrs)) for w in (ours, django)]
        assert written[0] == written[1]
        assert f'<option value="{value}" selected>' in written[0]


def test_edit_opens_the_row_as_a_form_and_save_puts_it_back_as_text(client, carol, small):
    client.force_login(carol)
    party = tampere(small)

    opened = client.get(update_url(party), headers=HTMX).content.decode()
    saved = client.post(
        update_url(party),
        {f"party-{party.pk}-official_name": "Tampereen kaupunki", f"party-{party.pk}-business_id": "0211675-2"},
        headers=HTMX,
    )

    assert opened.lstrip().startswith(f'<tr id="party-{party.pk}"')
    assert "<html" not in opened
    assert re.search(rf'<input[^>]*name="party-{party.pk}-official_name"[^>]*autofocus', opened)
    assert f'hx-post="{update_url(party)}" hx-target="closest tr" hx-swap="outerHTML"' in opened
    assert saved.status_code == 200
    html = saved.content.decode()
    assert html.lstrip().startswith(f'<tr id="party-{party.pk}">')
    assert '<th scope="row">Tampereen kaupunki</th>' in html and ">0211675-2</td>" in html
    assert f'name="party-{party.pk}-' not in html
    assert 'hx-swap-oob="innerHTML:#party-status">The details of Tampereen kaupunki were saved.' in html
    party.refresh_from_db()
    assert (party.official_name, party.business_id) == ("Tampereen kaupunki", "0211675-2")
    # The row said it; the next page does not say it again.
    assert "were saved" not in client.get(parties_url(small), headers=ENGLISH).content.decode()


def test_without_javascript_edit_leads_to_a_page_with_that_one_form(client, carol, small):
    client.force_login(carol)
    party = tampere(small)

    page = client.get(update_url(party), headers=ENGLISH).content.decode()
    data = {f"party-{party.pk}-official_name": "Tampereen kaupunki", f"party-{party.pk}-business_id": ""}
    response = client.post(update_url(party), data, headers=ENGLISH)

    assert "<h1>Edit the party Tampere</h1>" in page
    assert len(re.findall(r"<form[^>]*item-form", page)) == 1
    assert f'name="party-{party.pk}-official_name"' in page and f'name="party-{party.pk}-business_id"' in page
    assert "hx-post" not in page
    assert response.status_code == 302
    assert response["Location"] == f"{parties_url(small)}#party-{party.pk}"
    followed = client.get(response["Location"], headers=ENGLISH).content.decode()
    assert "The details of Tampereen kaupunki were saved." in followed


@pytest.mark.parametrize("headers", [HTMX, ENGLISH], ids=["in its row", "on its page"])
def test_a_wrong_business_id_is_explained_next_to_the_field_and_nothing_is_lost(client, carol, small, headers):
    client.force_login(carol)
    party = tampere(small)

    response = client.post(
        update_url(party),
        {f"party-{party.pk}-official_name": "Tampereen kaupunki", f"party-{party.pk}-business_id": "1234567-8"},
        headers=headers,
    )

    assert response.status_code == (200 if "HX-Request" in headers else 400)  # htmx swaps only a 2xx
    html = response.content.decode()
    [field] = re.findall(r'<div class="field field--error">(.*?)</div>', html, re.S)
    assert "Business ID" in field and "The check digit of this business ID is wrong." in field
    assert 'value="1234567-8"' in field and 'aria-invalid="true"' in field
    assert 'value="Tampereen kaupunki"' in html  # what was typed stays in the form
    assert "Edit the party Tampere" in html  # named as saved, not as typed
    party.refresh_from_db()
    assert (party.official_name, party.business_id) == ("Tampere", "")


def test_cancel_puts_the_row_back_as_it_was(client, carol, small):
    client.force_login(carol)
    party = tampere(small)

    row = client.get(row_url(party), headers=HTMX).content.decode()
    without_htmx = client.get(row_url(party))

    assert row.lstrip().startswith(f'<tr id="party-{party.pk}">')
    assert '<th scope="row">Tampere</th>' in row and "autofocus" in row  # the Edit link takes the focus back
    assert "hx-swap-oob" not in row
    assert without_htmx.status_code == 302 and without_htmx["Location"] == f"{parties_url(small)}#party-{party.pk}"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("carol", 200), ("admin_user", 200), ("alice", 403), ("sam", 403), ("dave", 404), (None, 302)],
)
@pytest.mark.parametrize("url", [update_url, row_url], ids=["form", "row"])
def test_only_the_countys_coordinators_open_a_partys_form_or_row(client, request, small, persona, status, url):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    assert client.get(url(tampere(small)), headers=HTMX).status_code == status


def queries(client, method: str, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 302, 400), (url, response.status_code)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("method", "url", "headers", "data"),
    [
        ("get", lambda p: parties_url(p.agreement), ENGLISH, None),
        ("get", update_url, ENGLISH, None),
        ("get", update_url, HTMX, None),
        ("get", row_url, HTMX, None),
        ("post", update_url, HTMX, lambda p: {f"party-{p.pk}-official_name": "Uusi", f"party-{p.pk}-business_id": ""}),
        ("post", update_url, ENGLISH, lambda p: {f"party-{p.pk}-official_name": "", f"party-{p.pk}-business_id": ""}),
    ],
    ids=["page", "form page", "form row", "row", "save in the row", "refused on the page"],
)
def test_the_parties_page_and_a_partys_form_run_the_same_queries_for_2_or_24_parties(
    client, carol, small, large, method, url, headers, data
):
    client.force_login(carol)
    counts = []
    for agreement in (small, large):
        party = tampere(agreement)
        kwargs = {"headers": headers, **({"data": data(party)} if data else {})}
        queries(client, method, url(party), **kwargs)  # the session and the caches warmed alike
        counts.append(queries(client, method, url(party), **kwargs))

    assert counts[0] == counts[1]
