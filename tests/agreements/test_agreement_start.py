import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.models import Agreement, Section, Theme
from agreements.permissions import can_edit_agreement, can_manage_agreement, can_view_agreement
from agreements.services import agreement_start
from agreements.template import SECTIONS
from regions.models import Municipality, WellbeingCounty
from tests.agreements.factories import start_strategic


def party_names(agreement: Agreement) -> list[str]:
    return list(agreement.parties.values_list("official_name", flat=True))


def test_a_strategic_agreement_has_the_county_and_all_its_municipalities(carol):
    agreement = agreement_start(by=carol, county=WellbeingCounty.objects.get(code="08"), title="Pirkanmaan sopimus")

    names = party_names(agreement)
    assert len(names) == 1 + 23
    assert names[0] == "Pirkanmaan hyvinvointialue"
    assert {"Tampere", "Nokia", "Akaa"} <= set(names)
    assert agreement.status == Agreement.Status.DRAFT
    assert (agreement.valid_from.isoformat(), agreement.valid_until.isoformat()) == (
        "2025-06-01",
        "2029-05-31",
    )


def test_the_regional_council_can_be_a_party(carol):
    agreement = agreement_start(
        by=carol, county=WellbeingCounty.objects.get(code="08"), title="x", include_regional_council=True
    )

    assert party_names(agreement)[-1] == "Pirkanmaan liitto"
    assert agreement.parties.count() == 25


def test_helsinki_organises_an_agreement_with_itself_as_the_municipality(areas):
    agreement = start_strategic("90")

    assert party_names(agreement) == ["Helsingin kaupunki", "Helsinki"]


def test_a_county_with_a_cross_county_employment_area_takes_only_its_own_municipalities(areas):
    # Kainuu–Koillismaa spans Kainuu and Pohjois-Pohjanmaa: Kuusamo belongs to Pohjois-Pohjanmaa's agreement.
    kainuu, pohjois_pohjanmaa = start_strategic("20"), start_strategic("19")

    assert "Kuusamo" not in party_names(kainuu)
    assert "Kuusamo" in party_names(pohjois_pohjanmaa)
    assert "Kajaani" in party_names(kainuu)


def test_a_swedish_agreement_uses_swedish_names_and_section_titles(areas):
    agreement = start_strategic("17", language="sv")

    assert party_names(agreement)[0] == "Österbottens välfärdsområde"
    assert "Vasa" in party_names(agreement)
    assert agreement.sections.get(key="1").title == "Parter"


def test_every_template_section_is_created_in_order(carol):
    agreement = agreement_start(by=carol, county=WellbeingCounty.objects.get(code="08"), title="x")

    assert list(agreement.sections.values_list("key", flat=True)) == [s.key for s in SECTIONS]
    assert Section.objects.get(agreement=agreement, key="3.2").kind == "goals"


def test_an_interface_agreement_has_the_chosen_municipalities_and_a_main_theme(carol):
    chosen = Municipality.objects.filter(code__in=["837", "536"])

    agreement = agreement_start(
        by=carol,
        county=WellbeingCounty.objects.get(code="08"),
        title="Perhekeskus",
        kind=Agreement.Kind.INTERFACE,
        municipalities=chosen,
        main_theme=Theme.CHILDREN_AND_YOUTH,
    )

    assert party_names(agreement) == ["Pirkanmaan hyvinvointialue", "Nokia", "Tampere"]


def test_an_interface_agreement_refuses_a_municipality_of_another_county(carol):
    with pytest.raises(ValidationError, match="Only municipalities of the county"):
        agreement_start(
            by=carol,
            county=WellbeingCounty.objects.get(code="08"),
            title="x",
            kind=Agreement.Kind.INTERFACE,
            municipalities=Municipality.objects.filter(code__in=["837", "091"]),
            main_theme=Theme.HOUSING,
        )
    assert not Agreement.objects.exists()


def test_an_interface_agreement_needs_a_main_theme(carol):
    with pytest.raises(ValidationError, match="main theme"):
        agreement_start(
            by=carol,
            county=WellbeingCounty.objects.get(code="08"),
            title="x",
            kind=Agreement.Kind.INTERFACE,
            municipalities=Municipality.objects.filter(code="837"),
        )


@pytest.mark.parametrize("persona", ["alice", "dave", "erin", "admin_user"])
def test_only_the_countys_coordinator_may_start(request, persona):
    user = request.getfixturevalue(persona)
    county = WellbeingCounty.objects.get(code="08")

    if persona == "admin_user":
        assert agreement_start(by=user, county=county, title="x")  # portal admins may do anything
        return
    with pytest.raises(PermissionDenied):
        agreement_start(by=user, county=county, title="x")


def test_parties_people_get_their_rights_on_start(carol, alice, bob, dave):
    agreement = agreement_start(by=carol, county=WellbeingCounty.objects.get(code="08"), title="x")

    assert can_view_agreement(alice, agreement) and can_edit_agreement(alice, agreement)
    assert can_manage_agreement(carol, agreement)
    assert not can_manage_agreement(alice, agreement)
    assert not can_view_agreement(dave, agreement)
