"""The decision pages: a party's decision page and its forms, the party matrix and its CSV, and
the home page's list of what a party has to do next.

Pirkanmaa's family centre agreement is in decision between the county (Carol coordinates it),
Tampere (Alice is its official, Sam its signatory) and Nokia (Bob). Dave of Helsinki is no party.
"""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import decisions
from agreements.decision_views import csv_cell
from agreements.legal_force import appeal_period_end
from agreements.models import Decision, Party, Signatory, Signature
from regions.models import Municipality
from tests.agreements.decision_factories import days_ago, decide, interface_in_decision, party_of

pytestmark = pytest.mark.django_db
TAMPERE, NOKIA, ORIVESI = "837", "536", "562"


@pytest.fixture
def agreement(carol, alice, bob):
    return interface_in_decision(carol)


def text(response) -> str:
    html = response.content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args), headers={"accept-language": "en"})


def form_data(**values):
    data = {
        "body": "council",
        "body_name": "Kaupunginvaltuusto",
        "diary_number": "TRE:1234/00.04.01/2026",
        "decided_on": "16.3.2026",
        "section": "42",
        "outcome": "approved",
        "minutes_url": "https://www.tampere.fi/poytakirjat/2026-03-16",
        "minutes_published_on": "23.3.2026",
        **values,
    }
    return {f"decision-{k}": v for k, v in data.items()}


# --- A party's decision page --------------------------------------------------------------------


def test_alice_records_tampere_s_council_decision_and_sees_when_its_appeal_period_ends(client, agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    client.force_login(alice)
    url = reverse("agreements:decision_record", args=[agreement.pk, tampere.pk])

    response = client.post(url, form_data(), headers={"accept-language": "en"})

    assert response.status_code == 302
    decision = Decision.objects.get(party=tampere)
    assert decision.decided_on.isoformat() == "2026-03-16" and decision.section == "42"
    page = text(client.get(response.url, headers={"accept-language": "en"}))
    ends = appeal_period_end(decision.minutes_published_on, "council")
    assert f"{ends.day}.{ends.month}.{ends.year}" in page and "ended" in page  # 3.5.2026 is past


def test_errors_are_shown_next_to_their_fields(client, agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    client.force_login(alice)
    url = reverse("agreements:decision_record", args=[agreement.pk, tampere.pk])

    response = client.post(
        url, form_data(decided_on="2026-13-45", outcome="approved_with_changes"), headers={"accept-language": "en"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the date as d.m.yyyy" in html
    assert not Decision.objects.exists()
    response = client.post(url, form_data(outcome="approved_with_changes"), headers={"accept-language": "en"})
    field = response.content.decode().split('id="id_decision-changes"')[0].rsplit('<div class="field', 1)[1]
    assert "field--error" in field and "Describe the changes" in field


def test_bob_reads_tampere_s_decision_but_may_not_record_it(client, agreement, alice, bob):
    tampere = party_of(agreement, TAMPERE)
    decide(tampere, alice)

    assert get(client, bob, "agreements:decision", agreement.pk, tampere.pk).status_code == 200
    assert get(client, bob, "agreements:decision_record", agreement.pk, tampere.pk).status_code == 403


def test_dave_of_another_county_gets_404_for_everything(client, agreement, alice, dave):
    tampere = party_of(agreement, TAMPERE)
    decision = decide(tampere, alice)
    for name, args in (
        ("agreements:decisions", [agreement.pk]),
        ("agreements:decisions_csv", [agreement.pk]),
        ("agreements:decision", [agreement.pk, tampere.pk]),
        ("agreements:decision_record", [agreement.pk, tampere.pk]),
        ("agreements:decision_update", [agreement.pk, tampere.pk, decision.pk]),
    ):
        assert get(client, dave, name, *args).status_code == 404, name


def test_carol_enters_the_decision_of_a_party_with_nobody_in_the_portal_and_it_is_marked(client, carol, alice):
    agreement = interface_in_decision(carol, codes=(TAMPERE, ORIVESI))
    orivesi = party_of(agreement, ORIVESI)
    client.force_login(carol)
    url = reverse("agreements:decision_record", args=[agreement.pk, orivesi.pk])
    assert "you enter its decision as the organiser's coordinator" in text(
        client.get(url, headers={"accept-language": "en"})
    )

    client.post(url, form_data(body_name="Orimattilan"), headers={"accept-language": "en"})

    assert Decision.objects.get(party=orivesi).entered_for_party
    matrix = text(get(client, carol, "agreements:decisions", agreement.pk))
    assert "Entered by the coordinator" in matrix
    tampere = party_of(agreement, TAMPERE)
    assert get(client, carol, "agreements:decision_record", agreement.pk, tampere.pk).status_code == 403


def test_after_the_appeal_period_alice_confirms_legal_force(client, agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    decision = decide(tampere, alice)
    page = text(get(client, alice, "agreements:decision", agreement.pk, tampere.pk))
    assert "Confirm: legally final, no appeal" in page and "Record an appeal" in page

    client.post(reverse("agreements:decision_legal_force", args=[agreement.pk, tampere.pk, decision.pk]))

    decision.refresh_from_db()
    assert decision.legal_force == Decision.LegalForce.FINAL


def test_alice_records_an_appeal_and_later_its_outcome(client, agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    decision = decide(tampere, alice)
    client.force_login(alice)
    url = reverse("agreements:decision_appeal", args=[agreement.pk, tampere.pk, decision.pk])
    when = days_ago(30)

    response = client.post(url, {"appeal-court": "Hämeenlinnan hallinto-oikeus", "appeal-filed_on": f"{when:%d.%m.%Y}"})
    assert response.status_code == 302
    assert "Outcome of the appeal" in text(client.get(response.url, headers={"accept-language": "en"}))
    response = client.post(url, {"outcome-outcome": "dismissed", "outcome-decided_on": "1.1.2020"})
    assert response.status_code == 400  # before the appeal was made
    client.post(url, {"outcome-outcome": "dismissed", "outcome-decided_on": f"{days_ago(1):%d.%m.%Y}"})

    decision.refresh_from_db()
    assert decisions.is_legally_final(decision)


# --- The party matrix and its CSV ---------------------------------------------------------------


def sign(party: Party, count: int, signed: int) -> None:
    for n in range(count):
        signatory = Signatory.objects.create(party=party, name=f"Henkilö {n}", title="Pormestari", authority="HS § 45")
        if n < signed:
            Signature.objects.create(
                signatory=signatory, signed_at="2026-04-01T10:00Z", text_sha256="0" * 64, second_factor="TOTP"
            )


def test_the_matrix_shows_each_party_and_the_roll_up(client, agreement, alice, bob, carol):
    tampere, nokia = party_of(agreement, TAMPERE), party_of(agreement, NOKIA)
    decide(tampere, alice, proposal_body="Kaupunginhallitus", proposal_date=days_ago(70), proposal_section="7")
    decide(nokia, bob, Decision.Outcome.RETURNED)
    sign(tampere, 2, 1)

    page = text(get(client, carol, "agreements:decisions", agreement.pk))

    assert "1 / 3 approved, 1 returned for preparation, 1 pending, 1 awaiting confirmation of legal force" in page
    assert "Kaupunginhallitus" in page and "§ 7" in page and "1 / 2" in page


def test_the_csv_is_for_finnish_excel_and_runs_no_formula(client, carol, alice, bob):
    agreement = interface_in_decision(carol, party_names={TAMPERE: '=HYPERLINK("http://x")'})
    tampere = party_of(agreement, TAMPERE)
    decide(tampere, alice, diary_number="+358 40 123", body_name="@Valtuusto", section="-1")

    response = get(client, alice, "agreements:decisions_csv", agreement.pk)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[:3] == ['\'=HYPERLINK("http://x")', "'@Valtuusto", "'+358 40 123"]
    assert row[5] == "'-1"
    assert rows[-1][0].startswith("1 / 3 approved")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("1-2", "1-2"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert csv_cell(value) == written


def test_the_matrix_asks_the_same_number_of_queries_for_few_and_many_parties(client, carol, alice):
    few = interface_in_decision(carol, codes=(TAMPERE,), title="Pieni")
    many = interface_in_decision(carol, codes=("837", "536", "562", "604", "211", "980", "418"), title="Iso")
    for agreement in (few, many):
        for party in agreement.parties.all():
            Decision.objects.create(
                party=party, body="council", decided_on=days_ago(9), section="1", outcome="approved",
                minutes_published_on=days_ago(8), appeal_period_ends=days_ago(-30),
            )  # fmt: skip
            sign(party, 2, 1)
    client.force_login(carol)

    counts = []
    for agreement in (few, many):
        for name in ("agreements:decisions", "agreements:decisions_csv"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name, args=[agreement.pk])).status_code == 200
            counts.append((name, len(queries)))

    assert counts[:2] == counts[2:]


# --- The home page ------------------------------------------------------------------------------


def test_alice_s_home_page_lists_what_tampere_has_to_do_next(client, agreement, alice):
    def home():
        return text(get(client, alice, "home"))

    assert "Record the decision of Tampereen kaupunki" in home() or "Record the decision of Tampere" in home()
    decide(party_of(agreement, TAMPERE), alice, decided_on=days_ago(5), minutes_published_on=days_ago(4))
    page = home()
    assert "then confirm the decision legally final" in page and "Record the decision of Tampere" not in page


def test_the_home_list_asks_the_same_number_of_queries_for_few_and_many_agreements(carol, alice):
    counts = []
    for size in (1, 4):
        while Party.objects.filter(organisation=Municipality.objects.get(code=TAMPERE).pk).count() < size:
            interface_in_decision(carol, codes=(TAMPERE,), title=f"Sopimus {size}")
        with CaptureQueriesContext(connection) as queries:
            result = decisions.home_decisions(user=alice)
        counts.append(len(queries))
        assert len(result.agreements) == size

    assert counts[0] == counts[1]


def test_completing_a_decision_keeps_its_uploaded_minutes_unless_removed(client, agreement, alice, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    tampere = party_of(agreement, TAMPERE)
    decision = decide(
        tampere, alice, minutes_published_on=None, minutes_file=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    stored = decision.minutes_file.name
    client.force_login(alice)
    url = reverse("agreements:decision_update", args=[agreement.pk, tampere.pk, decision.pk])
    published = f"{days_ago(59):%d.%m.%Y}"
    data = form_data(decided_on=f"{decision.decided_on:%d.%m.%Y}", minutes_published_on=published)

    assert client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.minutes_file.name == stored and decision.appeal_period_ends is not None

    client.post(url, {**data, "decision-remove_minutes_file": "on"})
    decision.refresh_from_db()
    assert not decision.minutes_file
