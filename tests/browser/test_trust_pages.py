"""The audit log and two-factor authentication in the browser, with the accessibility scan."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from regions.models import Municipality
from regions.services import areas_load
from tests.agreements.factories import start_strategic
from tests.browser.conftest import accessibility_violations, log_in
from tests.conftest import make_user
from tests.users.test_two_factor import code


def test_a_coordinator_reads_who_changed_the_agreement(new_page, transactional_db):
    areas_load()
    agreement = start_strategic("08")  # started by coordinator-08, Pirkanmaa's coordinator
    make_user("alice", Municipality.objects.get(code="837"))
    section = agreement.sections.get(key="2")
    page = new_page("en-GB")
    log_in(page, "alice")
    page.goto(f"/agreements/{agreement.pk}/sections/2/")
    page.locator(".ProseMirror").click()
    page.keyboard.type("Tavoite")
    expect(page.locator("[data-save-state]")).to_contain_text("Saved at")

    coordinator = new_page("en-GB")
    log_in(coordinator, "coordinator-08")
    coordinator.goto(f"/agreements/{agreement.pk}/")
    coordinator.get_by_role("link", name="The agreement's audit log").click()

    row = coordinator.locator("tbody tr", has_text=f"Changed: Section “{section}”").first
    expect(row).to_contain_text("alice")
    expect(row).to_contain_text("Current version")
    assert accessibility_violations(coordinator) == []


def test_an_official_turns_on_two_factor_and_needs_the_code_at_the_next_login(new_page, transactional_db):
    areas_load()
    alice = make_user("alice", Municipality.objects.get(code="837"))
    page = new_page("en-GB")
    log_in(page, "alice")
    page.goto("/me/two-factor/")
    page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page.get_by_role("img", name="QR code for adding Yhdyspinta to your authenticator app")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_label("Code").fill(code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator(".status")).to_have_text("Two-factor authentication is on.")

    page.get_by_role("button", name="Log out").click()
    page.goto("/login/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/login/verify/**")
    assert accessibility_violations(page) == []
    page.get_by_label("Code").fill(code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What awaits you")
