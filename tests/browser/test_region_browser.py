import re

from playwright.sync_api import expect

from regions.models import Municipality
from regions.services import areas_load
from tests.browser.conftest import accessibility_violations
from tests.conftest import make_user


def test_an_official_logs_in_and_browses_the_regions(page, transactional_db):
    areas_load()
    make_user("alice", Municipality.objects.get(code="837"))

    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Siirry sisältöön")).to_be_focused()
    page.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Kirjaudu sisään").click()
    page.get_by_label("Käyttäjätunnus").fill("alice")
    page.get_by_label("Salasana").fill("correct horse battery staple")
    page.get_by_role("button", name="Kirjaudu sisään").click()

    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()  # back on the front page
    page.get_by_role("link", name="Omat organisaatiot").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Omat organisaatiot")
    expect(page.get_by_role("row", name=re.compile("Tampere"))).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Alueet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hyvinvointialueet")
    assert page.locator("tbody tr").count() == 22
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Pirkanmaan hyvinvointialue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pirkanmaan hyvinvointialue")
    expect(page.get_by_text("23 kuntaa")).to_be_visible()
    expect(page.get_by_text("Kahdella hyvinvointialueella")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Tampere", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tampere")
    assert accessibility_violations(page) == []


def test_the_language_switcher_turns_the_page_swedish(page, transactional_db):
    areas_load()

    page.goto("/regions/counties/17/")
    page.get_by_role("button", name="Svenska").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Österbottens välfärdsområde")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert page.url.endswith("/regions/counties/17/")


def test_the_accessibility_scan_finds_a_known_violation(page, transactional_db):
    page.goto("/")
    page.evaluate(
        "document.querySelector('main').append("
        "Object.assign(document.createElement('img'), {src: '/static/img/favicon.svg'}))"
    )

    assert any(v.startswith("image-alt") for v in accessibility_violations(page))
