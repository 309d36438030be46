"""The home page in the browser: an official lands on it and follows a discussion that concerns them."""

import re

from playwright.sync_api import expect

from agreements.services import comment_add
from regions.models import Municipality
from regions.services import areas_load
from tests.agreements.factories import start_strategic
from tests.browser.conftest import accessibility_violations, log_in
from tests.conftest import make_user


def test_alice_lands_on_the_home_page_and_follows_an_open_discussion_to_its_section(page, transactional_db):
    areas_load()
    alice = make_user("alice", Municipality.objects.get(code="837"))
    bob = make_user("bob", Municipality.objects.get(code="536"))
    agreement = start_strategic()
    comment_add(section=agreement.sections.get(key="5.3"), by=bob, text="Onko irtisanomisaika riittävä?")
    comment_add(section=agreement.sections.get(key="3.2"), by=alice, text="Tarvitaan nuorten työllisyyden mittari.")

    log_in(page, "alice")

    expect(page.get_by_role("heading", level=1)).to_have_text("Ajankohtaista sinulle")
    agreements = page.get_by_role("table", name=re.compile("Sopimukset, joiden osapuoli Tampere on"))
    expect(agreements.get_by_role("row", name=re.compile(agreement.title))).to_contain_text("Luonnos")
    discussions = page.get_by_role("region", name="Sinua koskevat avoimet keskustelut")
    unanswered = discussions.get_by_role("listitem").filter(has_text="Onko irtisanomisaika riittävä?")
    expect(unanswered).to_contain_text("Ei vielä vastausta")
    own = discussions.get_by_role("listitem").filter(has_text="nuorten työllisyyden mittari")
    expect(own).to_contain_text("Odottaa muiden vastausta")
    assert accessibility_violations(page) == []

    own.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"/sections/3\.2/#comment-\d+$"))
    expect(page.locator(":target")).to_be_in_viewport()
    expect(page.locator("article:has(:target)")).to_contain_text("nuorten työllisyyden mittari")
    assert accessibility_violations(page) == []
