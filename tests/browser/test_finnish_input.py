"""Finnish input in a real browser: a decimal comma."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agreements.models import Indicator
from agreements.services import goal_save
from tests.browser.conftest import log_in
from tests.browser.test_agreement_editing import setup_agreement
from users.models import User


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
