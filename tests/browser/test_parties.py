"""The coordinator manages an agreement's parties in the browser: one row opened for editing."""

from playwright.sync_api import expect

from agreements.models import Party
from regions.services import areas_load
from tests.agreements.factories import start_strategic
from tests.browser.conftest import accessibility_violations, log_in


def test_the_coordinator_edits_one_partys_row_and_sees_it_saved(new_page, transactional_db):
    areas_load()
    agreement = start_strategic()  # Pirkanmaa and its 23 municipalities; its coordinator is coordinator-08
    tampere = agreement.parties.get(organisation__municipality__code="837")
    nokia = agreement.parties.get(organisation__municipality__code="536")
    page = new_page("en-GB")
    log_in(page, "coordinator-08")
    page.goto(f"/agreements/{agreement.pk}/parties/")
    assert accessibility_violations(page) == []

    # Cancel puts a row back as it was, and the focus on its Edit link.
    page.get_by_role("link", name="Edit Nokia").click()
    page.get_by_role("form", name="Edit the party Nokia").get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("link", name="Edit Nokia")).to_be_focused()

    page.get_by_role("link", name="Edit Tampere").click()
    form = page.get_by_role("form", name="Edit the party Tampere")  # opened in place by htmx
    expect(form.get_by_label("Official name")).to_be_focused()
    expect(page.locator("form.item-form")).to_have_count(1)  # only this row is a form
    form.get_by_label("Official name").fill("Tampereen kaupunki")
    form.get_by_label("Business ID").fill("0211675-2")
    assert accessibility_violations(page) == []
    form.get_by_role("button", name="Save").click()

    row = page.locator(f"#party-{tampere.pk}")
    expect(row.get_by_role("rowheader")).to_have_text("Tampereen kaupunki")
    expect(row.get_by_role("cell", name="0211675-2")).to_be_visible()
    expect(page.locator("#party-status")).to_have_text("The details of Tampereen kaupunki were saved.")
    expect(page.get_by_role("link", name="Edit Tampereen kaupunki")).to_be_focused()
    expect(page.locator("form.item-form")).to_have_count(0)
    assert page.url.endswith(f"/agreements/{agreement.pk}/parties/")  # no page load
    assert accessibility_violations(page) == []
    tampere.refresh_from_db()
    assert (tampere.official_name, tampere.business_id) == ("Tampereen kaupunki", "0211675-2")
    assert Party.objects.get(pk=nokia.pk).official_name == "Nokia"

    page.reload()
    expect(page.locator(f"#party-{tampere.pk}").get_by_role("rowheader")).to_have_text("Tampereen kaupunki")
