"""The county's coordinator approves a submitted TYM agreement from the queue on their home page;
it then waits in the queue of Kela's representative."""

from playwright.sync_api import expect

from agreements.models import Agreement
from agreements.services import workflow
from regions.services import areas_load
from tests.browser.conftest import accessibility_violations, log_in
from tests.tym.builders import complete, group_with_members, people, tym_agreement


def test_the_coordinator_approves_from_the_queue_and_it_goes_on_to_kela(new_page, transactional_db):
    areas_load()
    who = people()
    agreement = complete(tym_agreement(group_with_members(who["coordinator"]), who["drafter"]))
    workflow.transition(agreement=agreement, to=Agreement.Status.SUBMITTED, by=who["drafter"])
    page = new_page("en-GB")
    log_in(page, "carol")

    queue = page.get_by_role("region", name="Awaiting your approval")
    row = queue.get_by_role("row", name=agreement.title)
    expect(row).to_contain_text("Pirkanmaa")
    expect(row).to_contain_text("The county's coordinator")
    assert accessibility_violations(page) == []

    row.get_by_role("link", name=agreement.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(agreement.title)
    steps = page.locator(".approval-steps")
    expect(steps).to_contain_text("The county's coordinator: awaiting approval")
    assert accessibility_violations(page) == []
    page.locator("form.approval-form").get_by_role("button", name="Approve", exact=True).click()

    expect(page.locator("main [role=status]:has(.messages)")).to_contain_text("Your approval was recorded.")
    expect(steps).to_contain_text("Kela's representative: awaiting approval")
    expect(page.locator("form.approval-form")).to_have_count(0)
    assert accessibility_violations(page) == []

    page.goto("/")
    expect(queue).to_contain_text("Nothing awaits your approval now.")
    expect(queue.get_by_role("row", name=agreement.title)).to_have_count(0)

    kela = new_page("en-GB")
    log_in(kela, "kerttu")
    kela_queue = kela.get_by_role("region", name="Awaiting your approval")
    expect(kela_queue.get_by_role("row", name=agreement.title)).to_contain_text("Kela's representative")
    assert accessibility_violations(kela) == []
