"""Finnish input in a real browser: a decimal comma, boxes next to their labels, select all / none."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agreements.models import Indicator
from agreements.services import goal_save
from regions.models import WellbeingCounty
from tests.browser.conftest import accessibility_violations, log_in
from tests.browser.test_agreement_editing import setup_agreement
from tests.conftest import make_user
from users.models import Role, User

# How wide an input's box is (a checkbox is drawn in the middle of it), how far its label text starts
# from it, and how far their middles are apart vertically.
LABEL_GAP = """input => {
  const box = input.getBoundingClientRect();
  const label = input.labels[0];
  const range = document.createRange();
  const text = [...label.childNodes].find(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  range.selectNodeContents(text);
  const words = range.getBoundingClientRect();
  return {
    width: box.width,
    across: words.left - box.right,
    down: Math.abs((words.top + words.bottom) / 2 - (box.top + box.bottom) / 2),
  };
}"""


def assert_next_to_its_label(input_locator):
    gap = input_locator.evaluate(LABEL_GAP)
    assert gap["width"] <= 24 and 0 <= gap["across"] <= 16 and gap["down"] <= 8, gap


# The browser's own locale matters: Chromium in an English locale read "12,5" in a number input as 125.
@pytest.mark.parametrize("browser_locale", ["fi-FI", "en-US"])
def test_a_value_typed_with_a_decimal_comma_is_stored_as_12_5(new_page, transactional_db, browser_locale):
    agreement = setup_agreement()
    goal = goal_save(agreement=agreement, by=User.objects.get(username="alice"), title="Asuminen", theme="housing")
    page = new_page(browser_locale)
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/3.2/")

    page.locator(f"#goal-{goal.pk}").get_by_role("link", name=re.compile("Add an indicator|Lisää mittari")).click()
    prefix = f"#id_indicator-new-{goal.pk}"
    page.locator(f"{prefix}-name").fill("Asunnottomat")
    page.locator(f"{prefix}-baseline_value").press_sequentially("12,5")  # key by key, as a person types
    page.locator(f"{prefix}-baseline_year").press_sequentially("2024")
    page.locator(f"{prefix}-baseline_value").press("Enter")

    row = page.get_by_role("row", name=re.compile("Asunnottomat"))
    expect(row).to_contain_text("12,5 (2024)" if browser_locale == "fi-FI" else "12.5 (2024)")
    assert Indicator.objects.get().baseline_value == Decimal("12.5")


def test_a_finnish_user_is_told_next_to_the_field_when_a_number_is_ambiguous(browser, live_server, transactional_db):
    agreement = setup_agreement()
    goal = goal_save(agreement=agreement, by=User.objects.get(username="alice"), title="Asuminen", theme="housing")
    # A context of its own: the refused form answers 400, which the new_page fixture counts as an error.
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/3.2/")

    page.locator(f"#goal-{goal.pk}").get_by_role("link", name="Lisää mittari").click()
    prefix = f"#id_indicator-new-{goal.pk}"
    page.locator(f"{prefix}-name").fill("Asunnottomat")
    page.locator(f"{prefix}-baseline_value").press_sequentially("1,234")
    page.get_by_role("form", name="Lisää mittari").get_by_role("button", name="Tallenna").click()

    value = page.locator(f"{prefix}-baseline_value")
    expect(value).to_have_accessible_description(re.compile("voi lukea kokonaisluvuksi tai desimaaliluvuksi"))
    expect(value).to_have_value("1,234")
    assert not Indicator.objects.exists()
    context.close()


def test_each_box_sits_next_to_its_label_and_a_long_party_list_is_selected_all_or_none(new_page, transactional_db):
    agreement = setup_agreement()
    page = new_page("en-GB")
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/3.2/")

    page.get_by_role("link", name="Add a goal").click()
    parties = page.get_by_role("form", name="Add a goal").get_by_role("group", name="Responsible parties")
    count = agreement.parties.count()
    expect(parties.get_by_role("checkbox")).to_have_count(count)
    assert_next_to_its_label(parties.get_by_label("Tampere"))

    parties.get_by_role("button", name="Select all").click()
    expect(parties.get_by_role("checkbox", checked=True)).to_have_count(count)
    parties.get_by_role("button", name="Select none").click()
    expect(parties.get_by_role("checkbox", checked=True)).to_have_count(0)
    assert accessibility_violations(page) == []


def test_the_start_forms_boxes_and_buttons_sit_next_to_their_labels(new_page, transactional_db):
    setup_agreement()
    make_user("carol", WellbeingCounty.objects.get(code="08"), Role.COORDINATOR)
    page = new_page("fi-FI")
    log_in(page, "carol")
    page.goto("/agreements/county/08/start/")

    assert_next_to_its_label(page.get_by_role("radio", name="Yhdyspintasopimus"))
    assert_next_to_its_label(page.get_by_role("checkbox", name="Maakunnan liitto on osapuoli"))
    municipalities = page.get_by_role("group", name="Kunnat")
    assert_next_to_its_label(municipalities.get_by_role("checkbox", name="Nokia"))
    municipalities.get_by_role("button", name="Valitse kaikki").click()
    expect(municipalities.get_by_role("checkbox", checked=True)).to_have_count(23)
    expect(page.get_by_label("Voimassa alkaen")).to_have_value("1.6.2025")
    expect(page.get_by_label("Voimassa asti")).to_have_value("31.5.2029")
    assert accessibility_violations(page) == []
