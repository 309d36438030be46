"""A text too long for a section, typed in the browser: the autosave says why, and nothing saved is lost."""

import re

from playwright.sync_api import expect

from agreements.models import Section
from tests.browser.conftest import log_in
from tests.browser.test_agreement_editing import setup_agreement

SAVED = re.compile(r"Saved at \d")


def test_the_autosave_says_a_text_is_too_long_and_keeps_the_saved_one(new_page, transactional_db, settings):
    settings.SECTION_TEXT_MAX_BYTES = 100_000
    agreement = setup_agreement()
    page = new_page("en-GB")
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/2/")
    page.locator(".ProseMirror").click()
    page.keyboard.type("Lyhyt teksti.")
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)

    page.keyboard.insert_text(" " + "pitkä " * 20_000)

    state = page.locator("[data-save-state]")
    expect(state).to_contain_text("The text is too long to save: 0.2 MB, when a section holds at most 0.1 MB.")
    expect(state).to_contain_text("The text saved before is kept.")
    section = Section.objects.get(agreement=agreement, key="2")
    assert (section.version, section.text) == (1, "<p>Lyhyt teksti.</p>")
    assert "pitkä pitkä" in page.locator(".ProseMirror").inner_text()  # still there, to be shortened
