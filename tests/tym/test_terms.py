"""Editing a TYM agreement's terms: the services' rules and permissions, and the forms in the browser's stead.

Erin, an official of the Tampereen seutu employment authority, drafts the agreement and may write
its terms while it is a draft; the county's coordinator and official, Kela's representative and
anyone of another county or authority may not, and nobody may once it is submitted.
"""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Event
from agreements.services import workflow
from regions.models import Municipality, Organisation
from tests.tym.builders import complete, group_with_members, tym_agreement
from tym import terms
from tym.models import AuthorityShare, CostItem, ServiceLocation, StaffRow, TymAgreement

pytestmark = pytest.mark.postgres


@pytest.fixture
def agreement(who):
    return tym_agreement(group_with_members(who["coordinator"]), who["drafter"])


def party(agreement, kind):
    return agreement.parties.select_related("organisation").get(organisation__kind=kind)


def authority(agreement):
    return party(agreement, Organisation.Kind.EMPLOYMENT_AUTHORITY)


def tampere():
    return Municipality.objects.get(code="837")


def location(agreement, by, name="Palvelupiste"):
    return terms.service_location_save(
        agreement=agreement, by=by, name=name, address="Hämeenkatu 1", municipality=tampere(), channels=["video"]
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- The services' rules ---------------------------------------------------------------------------


def test_a_location_is_added_updated_and_removed(agreement, who):
    drafter = who["drafter"]
    saved = terms.service_location_save(
        agreement=agreement,
        by=drafter,
        name=" Palvelupiste ",
        municipality=tampere(),
        channels=["video", "in_person", "video"],
    )
    assert (saved.name, saved.channels) == ("Palvelupiste", ["in_person", "video"])  # the list's order, once each

    terms.service_location_save(agreement=agreement, by=drafter, location=saved, name="Uusi nimi", channels=[])
    saved.refresh_from_db()
    assert (saved.name, saved.municipality, saved.channels) == ("Uusi nimi", None, [])

    terms.terms_row_delete(row=saved, by=drafter)
    assert not ServiceLocation.objects.filter(agreement=agreement).exists()
    subjects = list(Event.objects.filter(agreement=agreement, kind=Event.Kind.PART_CHANGED).values_list("subject"))
    assert ("4 Palvelun järjestämistavat",) in subjects


def test_a_location_is_in_the_groups_county_and_served_in_the_listed_ways(agreement, who):
    with pytest.raises(ValidationError) as excinfo:
        terms.service_location_save(
            agreement=agreement,
            by=who["drafter"],
            name="",
            municipality=Municipality.objects.get(code="091"),  # Helsinki
            channels=["carrier pigeon"],
        )
    assert set(errors_of(excinfo)) == {"name", "municipality", "channels"}
    assert not ServiceLocation.objects.exists()


def test_a_staff_row_is_of_a_party_more_than_zero_and_at_one_of_the_agreements_locations(agreement, who):
    drafter = who["drafter"]
    other = tym_agreement(
        group_with_members(who["coordinator"], areas=("21",), name="Läntinen Pirkanmaa"), who["other_drafter"]
    )
    elsewhere = location(other, who["other_drafter"])
    for bad, field in (
        ({"party": authority(other)}, "party"),
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"amount": None}, "amount"),
        ({"location": elsewhere}, "location"),
        ({"title": " "}, "title"),
    ):
        values = {"party": authority(agreement), "title": "Ohjaaja", "amount": Decimal("1"), **bad}
        with pytest.raises(ValidationError) as excinfo:
            terms.staff_row_save(agreement=agreement, by=drafter, **values)
        assert list(errors_of(excinfo)) == [field]
    assert not StaffRow.objects.filter(agreement=agreement).exists()

    here = location(agreement, drafter)
    row = terms.staff_row_save(
        agreement=agreement,
        by=drafter,
        party=authority(agreement),
        title="Ohjaaja",
        amount=Decimal("3.5"),
        location=here,
    )
    terms.staff_row_save(
        agreement=agreement,
        by=drafter,
        row=row,
        party=party(agreement, "county"),
        title="Sosiaaliohjaaja",
        amount=Decimal("2"),
    )
    row.refresh_from_db()
    assert (row.party, row.title, row.amount, row.location) == (
        party(agreement, "county"),
        "Sosiaaliohjaaja",
        Decimal("2.00"),
        None,
    )
    assert Event.objects.filter(
        agreement=agreement, kind=Event.Kind.PART_CHANGED, subject="5 Osapuolten henkilöstö"
    ).exists()


def test_a_row_of_another_agreement_cannot_be_edited_through_this_one(agreement, who):
    other = complete(
        tym_agreement(
            group_with_members(who["coordinator"], areas=("21",), name="Läntinen Pirkanmaa"), who["other_drafter"]
        )
    )
    foreign_row = other.tym_staff.first()
    with pytest.raises(ValidationError):
        terms.staff_row_save(
            agreement=agreement,
            by=who["drafter"],
            row=foreign_row,
            party=authority(agreement),
            title="X",
            amount=Decimal(1),
        )
    with pytest.raises(PermissionDenied):  # deleting asks the row's own agreement
        terms.terms_row_delete(row=foreign_row, by=who["drafter"])
    assert StaffRow.objects.filter(pk=foreign_row.pk).exists()


def test_the_basis_review_and_client_process_are_written(agreement, who):
    drafter = who["drafter"]
    terms.staff_basis_update(agreement=agreement, by=drafter, staff_basis="headcount", expected_clients=400)
    terms.staffing_review_update(agreement=agreement, by=drafter, staffing_review=" Vuosittain. ")
    terms.service_terms_update(agreement=agreement, by=drafter, client_criteria="Tarve", client_process="Prosessi")
    t = TymAgreement.objects.get(agreement=agreement)
    assert (t.staff_basis, t.expected_clients, t.staffing_review) == ("headcount", 400, "Vuosittain.")
    assert (t.client_criteria, t.client_process) == ("Tarve", "Prosessi")
    with pytest.raises(ValidationError) as excinfo:
        terms.staff_basis_update(agreement=agreement, by=drafter, staff_basis="guess", expected_clients=None)
    assert list(errors_of(excinfo)) == ["staff_basis"]


def test_a_cost_is_zero_or_more_euros(agreement, who):
    drafter = who["drafter"]
    with pytest.raises(ValidationError) as excinfo:
        terms.cost_item_save(agreement=agreement, by=drafter, name="Tilat", annual_amount=Decimal("-0.01"))
    assert list(errors_of(excinfo)) == ["annual_amount"]
    item = terms.cost_item_save(agreement=agreement, by=drafter, name="Tilat", annual_amount=Decimal("0"))
    terms.cost_item_save(agreement=agreement, by=drafter, item=item, name="Tilat", annual_amount=Decimal("12000.50"))
    assert CostItem.objects.get().annual_amount == Decimal("12000.50")
    terms.terms_row_delete(row=item, by=drafter)
    assert not CostItem.objects.exists()


def test_the_cost_key_needs_what_it_names(agreement, who):
    drafter = who["drafter"]
    with pytest.raises(ValidationError) as excinfo:
        terms.cost_key_update(agreement=agreement, by=drafter, cost_key="custom")
    assert set(errors_of(excinfo)) == {"cost_key_name", "cost_key_basis", "county_percent"}
    with pytest.raises(ValidationError) as excinfo:
        terms.cost_key_update(agreement=agreement, by=drafter, cost_key="fixed", county_percent=Decimal("100.01"))
    assert list(errors_of(excinfo)) == ["county_percent"]

    terms.cost_key_update(
        agreement=agreement,
        by=drafter,
        cost_key="custom",
        cost_key_name="Asiakasmäärä",
        cost_key_basis="Asiakkaiden määrä 2025",
        county_percent=Decimal("40"),
    )
    t = TymAgreement.objects.get(agreement=agreement)
    assert (t.cost_key, t.cost_key_name, t.county_percent) == ("custom", "Asiakasmäärä", Decimal("40.00"))
    # Back to the law's default: an agreed percent no longer applies.
    terms.cost_key_update(agreement=agreement, by=drafter, cost_key="staff", county_percent=Decimal("40"))
    assert TymAgreement.objects.get(agreement=agreement).county_percent is None


def test_several_employment_authorities_split_their_share_by_agreed_percentages(who):
    group = group_with_members(who["coordinator"], areas=("39", "21"), name="Pirkanmaan TYM")
    agreement = complete(tym_agreement(group, who["drafter"]))
    first, second = agreement.parties.filter(organisation__kind="employment_authority").order_by("position")
    drafter = who["drafter"]
    with pytest.raises(ValidationError) as excinfo:
        terms.cost_key_update(
            agreement=agreement,
            by=drafter,
            cost_key="fixed",
            county_percent=Decimal("50"),
            authority_split="fixed",
            authority_shares={first: Decimal("60"), second: None},
        )
    assert list(errors_of(excinfo)) == [f"share_{second.pk}"]
    terms.cost_key_update(
        agreement=agreement,
        by=drafter,
        cost_key="fixed",
        county_percent=Decimal("50"),
        authority_split="fixed",
        authority_shares={first: Decimal("60"), second: Decimal("40")},
    )
    assert dict(AuthorityShare.objects.values_list("party_id", "percent")) == {
        first.pk: Decimal("60.00"),
        second.pk: Decimal("40.00"),
    }
    from tym.parts import terms_of

    split = terms_of(agreement).split
    assert split.adds_up
    assert {s.party.pk: s.euros for s in split.shares}[first.pk] == Decimal("4500.00")  # 60 % of half of 15 000
    # Split equally instead: the percentages go.
    terms.cost_key_update(
        agreement=agreement, by=drafter, cost_key="fixed", county_percent=Decimal("50"), authority_split="equal"
    )
    assert not AuthorityShare.objects.exists()


def test_kelas_participation_is_stated_with_its_sum_when_it_contributes(agreement, who):
    drafter = who["drafter"]
    with pytest.raises(ValidationError) as excinfo:
        terms.kela_participation_update(agreement=agreement, by=drafter, kela_participation="")
    assert list(errors_of(excinfo)) == ["kela_participation"]
    with pytest.raises(ValidationError) as excinfo:
        terms.kela_participation_update(agreement=agreement, by=drafter, kela_participation="contribution")
    assert list(errors_of(excinfo)) == ["kela_contribution"]
    terms.kela_participation_update(
        agreement=agreement, by=drafter, kela_participation="contribution", kela_contribution=Decimal("5000")
    )
    assert TymAgreement.objects.get(agreement=agreement).kela_contribution == Decimal("5000.00")
    terms.kela_participation_update(
        agreement=agreement, by=drafter, kela_participation="none", kela_contribution=Decimal("5000")
    )
    t = TymAgreement.objects.get(agreement=agreement)
    assert (t.kela_participation, t.kela_contribution) == ("none", None)


# --- Who may write -----------------------------------------------------------------------------------


def writes(agreement):
    """Each service, as a callable of the writer, on ``agreement`` (complete, so rows exist)."""
    row, item, place = agreement.tym_staff.first(), agreement.tym_costs.first(), agreement.tym_locations.first()
    ea = authority(agreement)
    return {
        "location_save": lambda by: terms.service_location_save(agreement=agreement, by=by, name="P"),
        "location_delete": lambda by: terms.terms_row_delete(row=place, by=by),
        "service_terms": lambda by: terms.service_terms_update(
            agreement=agreement, by=by, client_criteria="", client_process="P"
        ),
        "staff_basis": lambda by: terms.staff_basis_update(
            agreement=agreement, by=by, staff_basis="fte", expected_clients=1
        ),
        "staff_row_save": lambda by: terms.staff_row_save(
            agreement=agreement, by=by, row=row, party=ea, title="T", amount=Decimal(1)
        ),
        "staff_row_delete": lambda by: terms.terms_row_delete(row=row, by=by),
        "staffing_review": lambda by: terms.staffing_review_update(agreement=agreement, by=by, staffing_review="R"),
        "cost_item_save": lambda by: terms.cost_item_save(
            agreement=agreement, by=by, item=item, name="C", annual_amount=Decimal(1)
        ),
        "cost_item_delete": lambda by: terms.terms_row_delete(row=item, by=by),
        "cost_key": lambda by: terms.cost_key_update(agreement=agreement, by=by, cost_key="staff"),
        "kela": lambda by: terms.kela_participation_update(agreement=agreement, by=by, kela_participation="none"),
    }


WRITES = [
    "location_save",
    "location_delete",
    "service_terms",
    "staff_basis",
    "staff_row_save",
    "staff_row_delete",
    "staffing_review",
    "cost_item_save",
    "cost_item_delete",
    "cost_key",
    "kela",
]


@pytest.mark.parametrize("write", WRITES)
def test_the_drafter_writes_and_nobody_else_does(agreement, who, write):
    agreement = complete(agreement)
    for name in ("coordinator", "county_official", "kela", "other_coordinator", "other_drafter", "municipal"):
        with pytest.raises(PermissionDenied):
            writes(agreement)[write](who[name])
    stamp = Event.objects.filter(agreement=agreement, kind=Event.Kind.PART_CHANGED).count()
    writes(agreement)[write](who["drafter"])
    assert Event.objects.filter(agreement=agreement, kind=Event.Kind.PART_CHANGED).count() == stamp + 1


@pytest.mark.parametrize("write", WRITES)
def test_nobody_writes_once_it_is_submitted(agreement, who, write):
    agreement = complete(agreement)
    workflow.transition(agreement=agreement, to=Agreement.Status.SUBMITTED, by=who["drafter"])
    with pytest.raises(PermissionDenied):
        writes(agreement)[write](who["drafter"])


# --- Through the forms ---------------------------------------------------------------------------------


def section_url(agreement, key):
    return reverse("agreements:section", args=[agreement.pk, key])


def test_fte_and_euros_are_typed_with_a_decimal_comma(client, agreement, who):
    client.force_login(who["drafter"])
    here = location(agreement, who["drafter"])
    response = client.post(
        reverse("tym:staff_add", args=[agreement.pk]),
        {
            "staff-new-party": authority(agreement).pk,
            "staff-new-title": "Työllisyysasiantuntija",
            "staff-new-amount": "3,5",
            "staff-new-location": here.pk,
            "staff-new-tasks": "Ohjaus",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(section_url(agreement, "5"))
    assert StaffRow.objects.get().amount == Decimal("3.5")

    response = client.post(
        reverse("tym:cost_add", args=[agreement.pk]), {"cost-new-name": "Tilat", "cost-new-annual_amount": "12 000,50"}
    )
    assert response.status_code == 302
    assert CostItem.objects.get().annual_amount == Decimal("12000.50")

    response = client.post(
        reverse("tym:kela_edit", args=[agreement.pk]),
        {"kela-kela_participation": "contribution", "kela-kela_contribution": "2 500,25", "kela-kela_terms": ""},
    )
    assert response.status_code == 302
    assert TymAgreement.objects.get(agreement=agreement).kela_contribution == Decimal("2500.25")

    page = client.get(section_url(agreement, "5"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Työllisyysasiantuntija" in page and ">3,5<" in page
    costs = client.get(section_url(agreement, "7")).content.decode()
    assert "12000,50" in costs.replace("\xa0", "").replace(" ", "")


def test_a_bad_number_is_shown_next_to_its_field_and_nothing_is_saved(client, agreement, who):
    client.force_login(who["drafter"])
    url = reverse("tym:staff_add", args=[agreement.pk])
    for typed in ("0", "kolme", "1,234"):
        response = client.post(
            url, {"staff-new-party": authority(agreement).pk, "staff-new-title": "Ohjaaja", "staff-new-amount": typed}
        )
        assert response.status_code == 400
        html = response.content.decode()
        field = re.search(r'<input[^>]*name="staff-new-amount"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field
        described = re.search(r'aria-describedby="([^"]*)"', field).group(1)
        assert "id_staff-new-amount_error" in described
        assert f'value="{typed}"' in field  # what was typed, shown back
    assert not StaffRow.objects.exists()
    assert not Event.objects.filter(kind=Event.Kind.PART_CHANGED).exists()


def test_a_party_of_another_agreement_is_refused_by_the_form(client, agreement, who):
    other = tym_agreement(
        group_with_members(who["coordinator"], areas=("21",), name="Läntinen Pirkanmaa"), who["other_drafter"]
    )
    client.force_login(who["drafter"])
    response = client.post(
        reverse("tym:staff_add", args=[agreement.pk]),
        {"staff-new-party": authority(other).pk, "staff-new-title": "Ohjaaja", "staff-new-amount": "1"},
    )
    assert response.status_code == 400 and not StaffRow.objects.exists()


def test_the_forms_are_for_the_drafters_and_a_row_of_another_agreement_is_not_found(client, agreement, who):
    complete(agreement)
    other = complete(
        tym_agreement(
            group_with_members(who["coordinator"], areas=("21",), name="Läntinen Pirkanmaa"), who["other_drafter"]
        )
    )
    client.force_login(who["drafter"])
    assert client.get(reverse("tym:staff_add", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("tym:staff_edit", args=[agreement.pk, other.tym_staff.first().pk])).status_code == 404
    assert client.post(reverse("tym:cost_delete", args=[agreement.pk, other.tym_costs.first().pk])).status_code == 404
    assert client.get(reverse("tym:staff_add", args=[other.pk])).status_code == 404  # not a party: not seen
    client.force_login(who["coordinator"])
    assert client.get(reverse("tym:staff_add", args=[agreement.pk])).status_code == 403
    client.force_login(who["other_coordinator"])
    assert client.get(reverse("tym:staff_add", args=[agreement.pk])).status_code == 404


def test_htmx_opens_the_form_alone_and_the_section_shows_the_links_to_editors_only(client, agreement, who):
    complete(agreement)
    client.force_login(who["drafter"])
    form = client.get(reverse("tym:staff_add", args=[agreement.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert form.lstrip().startswith("<form") and "<html" not in form
    page = client.get(section_url(agreement, "5")).content.decode()
    assert reverse("tym:staff_add", args=[agreement.pk]) in page
    client.force_login(who["coordinator"])
    page = client.get(section_url(agreement, "5")).content.decode()
    assert reverse("tym:staff_add", args=[agreement.pk]) not in page and "Ohjaaja" in page


def test_the_staff_page_reads_the_same_number_of_queries_whatever_the_rows(client, who, django_assert_num_queries):
    def agreement_with(rows: int, name: str):
        agreement = complete(tym_agreement(group_with_members(who["coordinator"], name=name), who["drafter"]))
        place = agreement.tym_locations.first()
        for n in range(rows):
            StaffRow.objects.create(
                agreement=agreement, party=authority(agreement), title=f"Ohjaaja {n}", amount=1, location=place
            )
        return agreement

    small, large = agreement_with(1, "Pieni"), agreement_with(12, "Suuri")
    client.force_login(who["drafter"])
    client.get(reverse("home"))  # the session's first read is not the page's
    with CaptureQueriesContext(connection) as first:
        assert client.get(section_url(small, "5")).status_code == 200
    with django_assert_num_queries(len(first)):
        response = client.get(section_url(large, "5"))
    assert len(re.findall(r'id="tym-staff-\d+"', response.content.decode())) == 12 + 3  # and one per party


def test_the_typ_thresholds_are_warned_of_and_need_based_criteria_are_not(client, agreement, who):
    client.force_login(who["drafter"])
    url = reverse("tym:service_edit", args=[agreement.pk])
    client.post(url, {"service-client_criteria": "Työttömänä vähintään 300 päivää", "service-client_process": "P"})
    assert "data-typ-warning" in client.get(section_url(agreement, "4")).content.decode()
    client.post(
        url, {"service-client_criteria": "Monialaisen tuen tarve (381/2023 3 §)", "service-client_process": "P"}
    )
    assert "data-typ-warning" not in client.get(section_url(agreement, "4")).content.decode()


def test_the_cost_key_is_agreed_through_its_form_and_the_costs_show_each_partys_share(client, who):
    group = group_with_members(who["coordinator"], areas=("39", "21"), name="Pirkanmaan TYM")
    agreement = complete(tym_agreement(group, who["drafter"]))
    first, second = agreement.parties.filter(organisation__kind="employment_authority").order_by("position")
    client.force_login(who["drafter"])
    url = reverse("tym:cost_key_edit", args=[agreement.pk])
    form = client.get(url).content.decode()
    assert f'name="key-share_{first.pk}"' in form and f'name="key-share_{second.pk}"' in form
    values = {
        "key-cost_key": "fixed",
        "key-county_percent": "40,5",
        "key-authority_split": "fixed",
        f"key-share_{first.pk}": "60",
        f"key-share_{second.pk}": "30",  # 90 %: saved as typed, and the page says it does not add up
    }
    assert client.post(url, values).status_code == 302
    assert TymAgreement.objects.get(agreement=agreement).county_percent == Decimal("40.5")
    page = client.get(section_url(agreement, "7")).content.decode()
    assert "data-split-problems" in page and "data-cost-split" not in page
    assert "90 %" in page  # the shares' sum, in the problem shown

    assert client.post(url, {**values, f"key-share_{second.pk}": "40"}).status_code == 302
    page = client.get(section_url(agreement, "7")).content.decode()
    assert "data-split-problems" not in page
    # 15 000 € a year: the county 40,5 % = 6 075 €, the first authority 60 % of the rest = 5 355 €.
    split = re.search(r"<table class=\"table\" data-cost-split>.*?</table>", page, re.S).group(0)
    assert "6075,00" in split.replace("\xa0", "").replace(" ", "") and "5355,00" in split.replace("\xa0", "").replace(
        " ", ""
    )
    assert "40,50" in split
