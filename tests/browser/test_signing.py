"""A signatory signs in the browser with a fresh code from their authenticator app."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from agreements.models import Agreement
from agreements.services import signing
from regions.models import Municipality, WellbeingCounty
from regions.services import areas_load
from tests.agreements.signing import interface_agreement, party_of, to_signing
from tests.browser.conftest import accessibility_violations
from tests.conftest import make_user
from tests.users.test_two_factor import code, turn_on
from users.models import Role


def test_sam_signs_for_tampere_with_a_new_code_after_logging_in_with_one(new_page, transactional_db):
    areas_load()
    carol = make_user("carol", WellbeingCounty.objects.get(code="08"), Role.COORDINATOR)
    alice = make_user("alice", Municipality.objects.get(code="837"))
    sam = make_user("sam", Municipality.objects.get(code="837"), Role.SIGNATORY)
    sam.first_name, sam.last_name = "Sami", "Signeeraaja"
    sam.save()
    agreement = to_signing(interface_agreement(carol), carol)
    signatory = signing.signatory_add(
        party=party_of(agreement, "837"),
        by=alice,
        name="Sami Signeeraaja",
        title="kaupunginjohtaja",
        authority="hallintosääntö § 45",
        user=sam,
    )
    device = turn_on(sam)
    page = new_page("en-GB")
    page.goto("/login/")
    page.locator("#id_username").fill("sam")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/login/verify/**")
    page.get_by_label("Code").fill(code(device))
    page.get_by_role("button", name="Continue").click()

    awaited = page.get_by_role("region", name="Your signature is awaited")
    expect(awaited).to_contain_text("Perhekeskusmalli")
    awaited.get_by_role("link", name="Sign the agreement").click()
    agreement.refresh_from_db()
    expect(page.locator("#text-sha256")).to_have_text(agreement.text_sha256)
    assert accessibility_violations(page) == []
    page.get_by_label("Place").fill("Tampere")
    page.get_by_label("Code").fill(code(TOTPDevice.objects.get(user=sam)))
    page.get_by_role("button", name="Sign").click()

    expect(page.locator(".message--success")).to_have_text("You signed Perhekeskusmalli.")
    row = page.locator(f"#party-{signatory.party_id} tbody tr")
    expect(row).to_contain_text("Sami Signeeraaja")
    expect(row).to_contain_text("Tampere")
    assert accessibility_violations(page) == []
    signature = signatory.__class__.objects.get(pk=signatory.pk).signature
    assert signature.user == sam and signature.text_sha256 == agreement.text_sha256
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.SIGNING  # the others sign yet
