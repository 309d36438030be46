"""An employment authority's official enters the TYM agreement's staff table in the browser."""

from decimal import Decimal

from playwright.sync_api import expect

from regions.models import Organisation
from regions.services import areas_load
from tests.browser.conftest import accessibility_violations, log_in
from tests.tym.builders import group_with_members, people, tym_agreement
from tym import terms
from tym.models import StaffRow


def test_an_official_adds_a_staff_row_with_a_decimal_comma_and_sees_the_partys_total(new_page, transactional_db):
    areas_load()
    who = people()
    agreement = tym_agreement(group_with_members(who["coordinator"]), who["drafter"])
    place = terms.service_location_save(agreement=agreement, by=who["drafter"], name="Monialainen palvelupiste")
    authority = agreement.parties.get(organisation__kind=Organisation.Kind.EMPLOYMENT_AUTHORITY)
    page = new_page("fi-FI")
    log_in(page, "erin")  # an official of the Tampereen seutu employment authority
    page.goto(f"/agreements/{agreement.pk}/sections/5/")

    page.get_by_role("link", name="Lisää henkilöstörivi").click()
    form = page.get_by_role("form", name="Lisää henkilöstörivi")  # opened in place by htmx
    form.locator("#id_staff-new-party").select_option(str(authority.pk))
    form.locator("#id_staff-new-title").fill("Työllisyysasiantuntija")
    form.locator("#id_staff-new-amount").press_sequentially("2,5")  # key by key, as a person types
    form.locator("#id_staff-new-location").select_option(str(place.pk))
    assert accessibility_violations(page) == []
    form.get_by_role("button", name="Tallenna").click()

    row = page.get_by_role("row", name="Työllisyysasiantuntija")
    expect(row).to_contain_text("2,5")
    expect(row).to_contain_text("Monialainen palvelupiste")
    expect(page.locator(f'[data-party-total="{authority.pk}"]')).to_contain_text("2,5")
    expect(page.locator("[data-staff-total]")).to_contain_text("2,5")
    assert StaffRow.objects.get(agreement=agreement).amount == Decimal("2.5")
    assert accessibility_violations(page) == []
