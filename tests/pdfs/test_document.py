"""The agreement as a PDF, read back with poppler and qpdf: what a reader, an archive and a screen
reader find in it.

The demo (a strategic agreement of 23 parties, a signed interface agreement, TYM agreements) and a
Swedish draft are built and rendered once for the module, in a transaction that is rolled back;
the tests read the files.
"""

import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from agreements.models import Agreement, Forum, ForumSeat, Goal, Indicator, Measure, Signatory, Theme
from agreements.services.editions import edition_start
from agreements.templatetags.agreement_tags import money, number
from pdfs.document import RenderError, agreement_version, document_context, render
from regions.models import Municipality
from tests.agreements.factories import start_strategic
from tests.pdfs.conftest import Pdf
from tym.parts import terms_of
from users.models import User

# One xdist worker renders the module's documents once (its fixture is module-scoped).
pytestmark = [pytest.mark.pdftools, pytest.mark.xdist_group("pdf-document")]

A4_HEIGHT = 841.89  # points


@dataclass
class Case:
    pdf: Pdf
    rendered: object
    agreement: Agreement
    export: dict
    headings: list[str]
    parties: list[str]
    signatories: list[str]
    expected: list[str]  # what else the text must hold (staff and cost rows)


def _case(agreement: Agreement, folder, name: str) -> Case:
    rendered = render(agreement)
    out = io.StringIO()
    call_command("export_agreement", agreement.pk, "--public", stdout=out)
    expected = []
    if agreement.kind == "tym":
        with translation.override(agreement.language):
            terms = terms_of(agreement)
            # pdftotext reads a table column by column: each cell is looked for on its own.
            expected += [row.title for row in terms.staff]
            expected += [item.name for item in terms.items]
            expected += [money(item.annual_amount) for item in terms.items]
            expected += [money(share.euros) for share in terms.split.shares]
            expected += [f"{share.percent:.2f}".replace(".", ",") for share in terms.split.shares]
            expected += [number(terms.staff_total), money(terms.split.split)]
    return Case(
        pdf=Pdf.of(rendered.pdf, folder, f"{name}.pdf"),
        rendered=rendered,
        agreement=agreement,
        export=json.loads(out.getvalue()),
        headings=[f"{s.key} {s.title}" for s in agreement.sections.order_by("position")],
        parties=[p.official_name for p in agreement.parties.all()],
        signatories=[f"{s.name}, {s.title}" for s in Signatory.objects.filter(party__agreement=agreement)],
        expected=[re.sub(r"\s+", " ", e) for e in expected],
    )


@pytest.fixture(scope="module")
def cases(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True), translation.override("en"):
        call_command("demo", stdout=io.StringIO())
        strategic = Agreement.objects.get(kind="strategic")
        signed = Agreement.objects.get(status=Agreement.Status.IN_FORCE, kind="interface")
        tym = Agreement.objects.get(status=Agreement.Status.IN_FORCE, kind="tym")
        swedish = start_strategic(
            "15", title="Strategiskt samarbetsavtal mellan välfärdsområdet och kommunerna", language="sv"
        )
        found = {
            "strategic": _case(strategic, folder, "strategic"),
            "signed": _case(signed, folder, "signed"),
            "tym": _case(tym, folder, "tym"),
            "swedish": _case(swedish, folder, "swedish"),
        }
        coordinator = User.objects.get(username="pirkanmaa")
        second = edition_start(agreement=signed, by=coordinator, reason="Palvelujen päivitys")
        found["edition"] = _case(second, folder, "edition")
        found["again"] = render(strategic).pdf
        transaction.set_rollback(True)
    return found


def test_a_reader_finds_every_section_every_party_and_the_page_numbers(cases):
    case = cases["strategic"]
    assert len(case.parties) > 20
    pages = case.pdf.pages_text()
    assert len(pages) == case.rendered.pages == int(case.pdf.info()["Pages"])
    text = case.pdf.text
    for heading in case.headings:
        assert heading in text
    for party in case.parties:
        assert party in text
    for number_, page in enumerate(pages, start=1):
        assert re.search(rf"\b{number_} ?/ ?{len(pages)}$", page), page[-20:]
    # The contents list every section with the page it starts on.
    contents = pages[1]
    assert "Sisällys" in contents
    for heading in case.headings:
        assert heading in contents
    # The running header and footer: the title, the edition and the version.
    version = case.rendered.version
    assert f"Versio {version.number}" in pages[2]
    assert case.agreement.title in pages[2]


def test_a_draft_says_luonnos_on_every_page(cases):
    for page in cases["strategic"].pdf.pages_text():
        assert "LUONNOS" in page


def test_only_the_shipped_fonts_are_used_and_all_of_them_are_embedded(cases):
    for case in (cases["strategic"], cases["tym"], cases["swedish"]):
        fonts = case.pdf.fonts()
        assert fonts
        for font in fonts:
            assert font["emb"] == "yes", font
            assert font["name"].split("+")[-1].startswith("DejaVu-Sans"), font


def test_qpdf_finds_no_structural_error(cases):
    for case in (cases["strategic"], cases["signed"], cases["tym"], cases["swedish"]):
        result = case.pdf.qpdf_check()
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


def test_it_is_pdf_a_3b_tagged_in_its_language_with_its_metadata(cases):
    case = cases["strategic"]
    meta = case.pdf.metadata()
    assert 'pdfaid:part="3"' in meta
    assert 'pdfaid:conformance="B"' in meta
    info = case.pdf.info()
    assert info["Tagged"] == "yes"
    assert info["Title"] == case.agreement.title
    assert case.parties[0] in info["Author"]
    assert f"Versio {case.rendered.version.number}" in info["Keywords"]
    assert case.pdf.catalog()["/Lang"] == "u:fi"
    assert cases["swedish"].pdf.catalog()["/Lang"] == "u:sv"
    # The creation date is the version's time, not the render's: what makes it reproducible.
    assert info["CreationDate"] == info["ModDate"]
    assert case.rendered.version.at.strftime("%Y") in info["CreationDate"]


def test_the_attached_json_is_the_export_of_that_version(cases):
    for case in (cases["strategic"], cases["tym"]):
        assert case.pdf.attachments() == ["agreement.json"]
        assert json.loads(case.pdf.attachment(1)) == case.export


def test_the_same_version_renders_to_the_same_bytes(cases):
    assert cases["again"] == cases["strategic"].rendered.pdf


def test_a_tym_agreement_shows_its_staff_and_cost_tables(cases):
    case = cases["tym"]
    text = case.pdf.text
    for heading in case.headings:
        assert heading in text
    assert case.expected
    for expected in case.expected:
        assert expected in text, expected
    assert "Henkilöstö osapuolittain" in text
    assert "Kunkin osapuolen osuus" in text


def test_a_swedish_draft_says_utkast_and_has_swedish_headings(cases):
    case = cases["swedish"]
    pages = case.pdf.pages_text()
    for page in pages:
        assert "UTKAST" in page
        assert "LUONNOS" not in page
    text = case.pdf.text
    for heading in ("1 Parter", "3.2 Gemensamma mål, mätare och åtgärder", "9 Underskrifter", "10 Bilagor"):
        assert heading in text
    assert "Innehåll" in pages[1]


def test_a_signed_agreement_has_no_watermark_and_shows_its_signatures_and_decisions(cases):
    case = cases["signed"]
    text = case.pdf.text
    assert "LUONNOS" not in text
    for signatory in case.signatories:
        assert signatory in text
    for decision in case.export["editions"][-1]["decisions"]:
        assert f"§ {decision['section']}" in text


def test_a_later_edition_renders_as_a_draft_of_its_own_edition(cases):
    case = cases["edition"]
    assert case.agreement.edition == 2
    pages = case.pdf.pages_text()
    for heading in case.headings:
        assert heading in case.pdf.text
    for page in pages[1:]:
        assert "Painos 2" in page and "LUONNOS" in page
    assert json.loads(case.pdf.attachment(1)) == case.export


def test_the_seal_goes_in_an_empty_box_on_the_signature_page(cases):
    case = cases["signed"]
    rendered = case.rendered
    x1, y1, x2, y2 = rendered.seal_box
    assert 0 <= x1 < x2 <= 595.3 and 0 <= y1 < y2 <= A4_HEIGHT
    assert round((x2 - x1) / 72 * 25.4) == 80 and round((y2 - y1) / 72 * 25.4) == 25
    page = case.pdf.pages_text()[rendered.seal_page]
    assert "Allekirjoitukset" in page
    assert case.parties[0] in page
    assert case.pdf.text_in(rendered.seal_page, rendered.seal_box, A4_HEIGHT) == ""


def _small() -> Agreement:
    """An interface agreement of Pirkanmaa and Tampere: two parties."""
    tampere = Municipality.objects.get(code="837")
    return start_strategic(kind="interface", municipalities=[tampere], main_theme=Theme.WELLBEING)


def test_a_missing_font_is_named(areas, settings, tmp_path):
    settings.PDF_FONT_DIR = tmp_path
    with pytest.raises(RenderError, match="DejaVuSans.ttf"):
        render(_small())


def test_a_broken_template_is_a_render_error_that_says_where(areas, settings, tmp_path):
    broken = tmp_path / "pdfs"
    broken.mkdir()
    (broken / "document.html").write_text("{% load i18n %}\n<html>\n{% if %}\n</html>\n")
    engine = {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [engine]
    with pytest.raises(RenderError, match=r"document\.html.* line 3"):
        render(_small())


def _furnished(agreement: Agreement, goals: int) -> Agreement:
    """Goals with measures, indicators and responsible parties, forums with seats and signatories:
    written through the ORM while the agreement is a draft."""
    parties = list(agreement.parties.all())
    for n in range(goals):
        goal = Goal.objects.create(agreement=agreement, position=n, title=f"Tavoite {n}", theme=Theme.WELLBEING)
        goal.responsible_parties.set(parties[:3])
        for m in range(2):
            measure = Measure.objects.create(
                goal=goal, position=m, description=f"Toimenpide {m}", lead_party=parties[0]
            )
            measure.co_parties.set(parties[1:3])
            Indicator.objects.create(goal=goal, position=m, name=f"Mittari {m}", baseline_value=Decimal("1.5"))
        forum = Forum.objects.create(agreement=agreement, position=n, name=f"Foorumi {n}", level="expert")
        for party in parties:
            ForumSeat.objects.create(forum=forum, party=party, seats=1)
    for party in parties:
        Signatory.objects.create(party=party, name="Nimi", title="Johtaja", authority="Hallintosääntö")
    return agreement


def test_the_document_asks_as_many_queries_for_two_parties_as_for_twenty_three(areas):
    small = _furnished(_small(), goals=1)
    big = _furnished(start_strategic(title="Iso sopimus"), goals=6)
    assert small.parties.count() == 2 and big.parties.count() > 20

    def queries(agreement: Agreement) -> int:
        agreement = Agreement.objects.get(pk=agreement.pk)
        with CaptureQueriesContext(connection) as captured:
            context = document_context(agreement)
            # What the template reads of it.
            for goal in context["goals"]:
                list(goal.responsible_parties.all())
                for measure in goal.measures.all():
                    list(measure.co_parties.all()), measure.lead_party
                list(goal.indicators.all())
            for forum in context["forums"]:
                [seat.party for seat in forum.seats.all()]
        return len(captured)

    assert queries(small) == queries(big)


def test_the_version_counts_the_audit_entries_in_one_query(areas, django_assert_num_queries):
    agreement = _small()
    from audit.models import AuditEntry

    entries = AuditEntry.objects.filter(agreement_id=agreement.pk).order_by("id")
    with django_assert_num_queries(1):
        version = agreement_version(agreement)
    assert version.number == entries.count()
    assert version.stamp == entries.last().pk
    assert version.at == entries.last().at


def test_a_table_longer_than_a_page_repeats_its_header_row_on_every_page(tmp_path):
    from django.conf import settings

    from pdfs import weasy

    rows = "".join(f"<tr><th scope='row'>Rivi {n}</th><td>{n}</td></tr>" for n in range(150))
    html = (
        f'<!DOCTYPE html><html lang="fi"><head><link rel="stylesheet" href="static/css/pdf.css"></head><body>'
        f'<table class="doc-table"><thead><tr><th scope="col">Osapuoli</th><th scope="col">Määrä</th></tr></thead>'
        f'<tbody>{rows}</tbody></table><div class="seal-box" id="seal-box"></div></body></html>'
    )
    written = weasy.write_pdf(
        html,
        base_url=f"{settings.BASE_DIR.resolve().as_uri()}/",
        created=timezone.now(),
        attachment=("a.json", b"{}", "data"),
        font_dir=settings.PDF_FONT_DIR,
        title="Taulukko",
        anchor="seal-box",
    )
    pages = Pdf.of(written.pdf, tmp_path).pages_text()
    assert written.pages == len(pages) > 2
    for page in pages:
        assert "Osapuoli Määrä" in page
