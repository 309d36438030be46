"""Writing an agreement in the browser: autosave, a conflict between two sessions, the 3.2 table."""

import re

from playwright.sync_api import expect

from agreements.models import Section
from regions.models import Municipality
from regions.services import areas_load
from tests.agreements.factories import start_strategic
from tests.browser.conftest import accessibility_violations, log_in
from tests.conftest import make_user

SAVED = re.compile(r"Saved at \d")


def setup_agreement():
    areas_load()
    make_user("alice", Municipality.objects.get(code="837"))
    make_user("bob", Municipality.objects.get(code="536"))
    return start_strategic()


def test_an_official_edits_a_section_and_it_autosaves(new_page, transactional_db):
    agreement = setup_agreement()
    page = new_page("en-GB")
    log_in(page, "alice")

    page.goto(f"/agreements/{agreement.pk}/sections/2/")
    page.locator(".ProseMirror").click()
    page.keyboard.type("Yhteinen tavoite on asukkaiden hyvinvointi.")

    expect(page.locator("[data-save-state]")).to_have_text(SAVED)
    section = Section.objects.get(agreement=agreement, key="2")
    assert (section.version, section.text) == (1, "<p>Yhteinen tavoite on asukkaiden hyvinvointi.</p>")
    assert accessibility_violations(page) == []
    page.reload()
    expect(page.locator(".ProseMirror")).to_have_text("Yhteinen tavoite on asukkaiden hyvinvointi.")


def test_a_second_session_hits_the_conflict_and_merges(new_page, transactional_db):
    agreement = setup_agreement()
    alice, bob = new_page("en-GB"), new_page("en-GB")
    log_in(alice, "alice")
    log_in(bob, "bob")
    url = f"/agreements/{agreement.pk}/sections/2/"
    alice.goto(url)
    bob.goto(url)

    alice.locator(".ProseMirror").click()
    alice.keyboard.type("Alicen lause.")
    expect(alice.locator("[data-save-state]")).to_have_text(SAVED)
    bob.locator(".ProseMirror").click()
    bob.keyboard.type("Bobin lause.")
    expect(bob.locator("[data-save-state]")).to_contain_text("Someone else saved this section")
    bob.get_by_role("link", name="Compare and merge the texts").click()

    expect(bob.get_by_role("heading", level=1)).to_contain_text("Merge the texts")
    expect(bob.get_by_role("region", name="The saved text")).to_contain_text("Alicen lause.")
    expect(bob.get_by_role("region", name="Your text")).to_contain_text("Bobin lause.")
    # The merged text in the editor is the refused one: nothing says it was saved.
    expect(bob.locator("[data-save-state]")).to_have_text("Not saved yet – merge the texts and save")
    assert accessibility_violations(bob) == []
    bob.locator(".ProseMirror").click()
    bob.keyboard.press("Control+End")
    bob.keyboard.type(" Alicen lause.")
    bob.get_by_role("button", name="Save", exact=True).click()

    expect(bob.locator("[data-save-state]")).to_have_text(SAVED)
    section = Section.objects.get(agreement=agreement, key="2")
    latest = section.versions.order_by("-number").first()
    assert latest.resolved_conflict
    assert "Bobin lause." in latest.text and "Alicen lause." in latest.text


def test_the_history_link_counts_the_versions_autosave_writes(new_page, transactional_db):
    agreement = setup_agreement()
    page = new_page("en-GB")
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/2/")
    history = page.get_by_role("link", name=re.compile(r"^History: "))
    expect(history).to_have_text("History: 0 versions")

    page.locator(".ProseMirror").click()
    page.keyboard.type("Ensimmäinen lause.")
    expect(history).to_have_text("History: 1 version")
    page.keyboard.type(" Toinen lause.")

    expect(history).to_have_text("History: 2 versions")
    assert Section.objects.get(agreement=agreement, key="2").version == 2
    history.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History")


def test_a_section_links_to_the_previous_and_next_and_3_2_opens_with_the_goal_table(new_page, transactional_db):
    agreement = setup_agreement()
    page = new_page("en-GB")
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/3.1/")

    pager = page.get_by_role("navigation", name="Previous and next section")
    expect(pager.locator("a[rel=prev]")).to_have_text(re.compile(r"^Previous section: ← 3 Yhteistyön tavoitteet"))
    expect(pager.locator("a[rel=next]")).to_have_text(re.compile(r"^Next section: 3.2 "))
    pager.locator("a[rel=next]").click()

    page.wait_for_url(f"**/agreements/{agreement.pk}/sections/3.2/")
    table = page.get_by_role("heading", name="Goals, measures and indicators").bounding_box()
    editor = page.locator(".ProseMirror").bounding_box()
    assert table["y"] < editor["y"] < 768 * 3
    assert page.get_by_role("link", name="Add a goal").bounding_box()["y"] < 768  # on the first screen
    assert accessibility_violations(page) == []
    page.goto(f"/agreements/{agreement.pk}/sections/1/")
    expect(page.get_by_role("navigation", name="Previous and next section").locator("a[rel=prev]")).to_have_count(0)


def test_a_goal_with_an_indicator_is_added_in_the_goal_table(new_page, transactional_db):
    agreement = setup_agreement()
    page = new_page("en-GB")
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/3.2/")

    page.get_by_role("link", name="Add a goal").click()
    add_goal = page.get_by_role("form", name="Add a goal")  # opened in place by htmx
    add_goal.get_by_label("Goal", exact=True).fill("Työllisyys paranee")
    add_goal.get_by_label("Theme").select_option(label="Employment")
    add_goal.get_by_role("group", name="Responsible parties").get_by_label("Tampere").check()
    add_goal.get_by_role("button", name="Save").click()

    goal = page.locator("article.goal")
    expect(goal.get_by_role("heading", level=3)).to_contain_text("1. Työllisyys paranee")
    expect(goal).to_contain_text("Responsible parties: Tampere")
    goal.get_by_role("link", name="Add an indicator").click()
    add_indicator = page.get_by_role("form", name="Add an indicator")
    add_indicator.get_by_label("Indicator", exact=True).fill("Työttömyysaste")
    add_indicator.get_by_label("Unit").fill("%")
    add_indicator.get_by_label("Baseline value").fill("9.1")
    add_indicator.get_by_label("Baseline year").fill("2024")
    add_indicator.get_by_label("Target value").fill("7")
    add_indicator.get_by_label("Target year").fill("2029")
    add_indicator.get_by_role("button", name="Save").click()

    row = page.get_by_role("row", name=re.compile("Työttömyysaste"))
    expect(row).to_contain_text("9.1 (2024)")
    expect(row).to_contain_text("7 (2029)")
    assert accessibility_violations(page) == []


def test_without_javascript_the_goal_form_is_a_page_of_its_own(browser, live_server, transactional_db):
    agreement = setup_agreement()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/3.2/")

    page.get_by_role("link", name="Add a goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a goal")
    page.get_by_label("Goal", exact=True).fill("Asuminen")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()  # the theme was left out
    page.get_by_label("Theme").select_option(label="Housing")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("article.goal h3")).to_contain_text("1. Asuminen")
    context.close()
