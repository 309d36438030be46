"""An official records their council's decision in the browser, from the home page's next step."""

from playwright.sync_api import expect

from agreements.legal_force import appeal_period_end
from agreements.models import Decision
from regions.models import Municipality, WellbeingCounty
from regions.services import areas_load
from tests.agreements.decision_factories import days_ago, interface_in_decision
from tests.browser.conftest import accessibility_violations, log_in
from tests.conftest import make_user
from users.models import Role


def day(date) -> str:
    return f"{date.day}.{date.month}.{date.year}"


def test_an_official_records_a_council_decision_and_sees_its_appeal_period(new_page, transactional_db):
    areas_load()
    carol = make_user("carol", WellbeingCounty.objects.get(code="08"), Role.COORDINATOR)
    make_user("alice", Municipality.objects.get(code="837"))
    agreement = interface_in_decision(carol)
    page = new_page("en-GB")
    log_in(page, "alice")

    page.get_by_role("link", name="Record the decision of Tampere").click()
    assert accessibility_violations(page) == []
    form = page.locator("form.decision-form")
    form.get_by_label("Deciding body").select_option("council")
    form.get_by_label("Name of the body").fill("Kaupunginvaltuusto")
    form.get_by_label("Diary number").fill("TRE:1234/00.04.01/2026")
    form.get_by_label("Decision date").fill(day(days_ago(3)))
    form.get_by_label("§", exact=True).fill("42")
    form.get_by_label("Approved", exact=True).check()
    form.get_by_label("Minutes published on").fill("31.2.2026")  # no such day
    form.get_by_label("Minutes (PDF)").set_input_files(
        files=[{"name": "poytakirja.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    form.get_by_role("button", name="Save").click()

    # Refused next to the field; the rest stays as typed.
    field = page.locator(".field--error")
    expect(field).to_have_count(1)
    expect(field).to_contain_text("Enter the date as d.m.yyyy")
    expect(form.get_by_label("Diary number")).to_have_value("TRE:1234/00.04.01/2026")
    assert accessibility_violations(page) == []
    form.get_by_label("Minutes published on").fill(day(days_ago(2)))
    form.get_by_label("Minutes (PDF)").set_input_files(
        files=[{"name": "poytakirja.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    form.get_by_role("button", name="Save").click()

    ends = appeal_period_end(days_ago(2), Decision.Body.COUNCIL)
    expect(page.locator("#legal-force")).to_have_text(f"Appeal period ends {day(ends)}")
    expect(page.get_by_role("link", name="Minutes (PDF)")).to_be_visible()
    assert accessibility_violations(page) == []
    decision = Decision.objects.get(party__agreement=agreement)
    assert (decision.body, decision.section, decision.outcome) == ("council", "42", "approved")
    assert decision.recorded_by.username == "alice" and not decision.entered_for_party

    page.goto("/")
    expect(page.get_by_text(f"Appeal period of Tampere ends {day(ends)}")).to_be_visible()
