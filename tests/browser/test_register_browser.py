"""The public register in the browser: an anonymous visitor finds and reads an agreement in force,
without JavaScript, and the pages pass an accessibility scan."""

import re

from playwright.sync_api import expect

from regions.services import areas_load
from tests.browser.conftest import accessibility_violations
from tests.register.builders import public_world


def test_an_anonymous_visitor_reads_an_agreement_in_force(new_page, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    areas_load()
    world = public_world()
    title = world["in_force"].title

    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Julkinen rekisteri").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sopimusten julkinen rekisteri")
    page.get_by_label("Hyvinvointialue").select_option(label="Pirkanmaan hyvinvointialue")
    page.get_by_label("Teema").select_option(value="")
    page.get_by_role("button", name="Näytä").click()
    expect(page).to_have_url(re.compile(r"county=08"))
    agreements = page.get_by_role("table", name=re.compile("1 julkinen sopimus"))
    expect(agreements.get_by_role("row")).to_have_count(2)  # the header and the one in force
    agreements.get_by_role("link", name=title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    parties = page.get_by_role("table", name=re.compile("Kunkin osapuolen päätös"))
    tampere = parties.get_by_role("row", name=re.compile("Tampereen kaupunki|Tampere"))
    expect(tampere).to_contain_text("15.9.2025 § 87")
    expect(tampere).to_contain_text("Anna Allekirjoittaja, Kaupunginjohtaja, 1.10.2025")
    page.get_by_role("navigation", name="Sisällys").get_by_role("link", name=re.compile(r"^2 ")).click()
    expect(page.locator(":target")).to_contain_text("Julkinen sopimusteksti.")
    expect(page.get_by_role("link", name="Palvelukartta")).to_be_visible()

    scanned = new_page()
    scanned.goto(page.url)
    assert accessibility_violations(scanned) == []
    scanned.get_by_role("button", name="Svenska").click()
    expect(scanned.get_by_role("heading", level=2, name="Parter, beslut och underskrifter")).to_be_visible()
    scanned.goto("/register/")
    assert accessibility_violations(scanned) == []
