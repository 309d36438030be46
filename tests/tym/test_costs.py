"""The split of a TYM agreement's joint costs (381/2023 §10; decree 388/2024 §3 (4) and (5)).

Each party bears its own staff; the other joint costs, less what Kela pays towards them, are split
between the employment authorities and the county: by the staff taking part unless they agree
otherwise, the authorities' side among several of them by the key the agreement states. Every
share is in whole cents, and the euros add up to the total exactly and the percents to 100,00.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from regions.models import EmploymentArea, WellbeingCounty
from tests.tym.builders import complete, group_with_members, tym_agreement
from tym.costs import cost_split
from tym.models import AuthorityShare, CostItem, StaffRow, TymAgreement

pytestmark = pytest.mark.postgres
Key, Split, Kela = TymAgreement.CostKey, TymAgreement.AuthoritySplit, TymAgreement.KelaParticipation


def start(who, codes=("39",), **complete_kwargs):
    group = group_with_members(who["coordinator"], areas=codes)
    return complete(tym_agreement(group, who["drafter"]), **complete_kwargs)


def labels() -> dict[int, str]:
    return {
        EmploymentArea.objects.get(code="39").pk: "Tampereen seutu",
        EmploymentArea.objects.get(code="21").pk: "Läntinen Pirkanmaa",
        WellbeingCounty.objects.get(code="08").pk: "county",
    }


def shares(split) -> dict[str, tuple[str, str]]:
    """Each party's share as a reader sees it: euros and percent, to the cent."""
    assert split.problems == []
    name = labels()
    return {name[s.party.organisation_id]: (str(s.euros), str(s.percent)) for s in split.shares}


def set_terms(agreement, **values):
    TymAgreement.objects.filter(agreement=agreement).update(**values)


def set_staff(agreement, code, *amounts):
    """The staff of the party for employment area ``code`` (or "county") replaced by ``amounts``."""
    organisation_id = (
        WellbeingCounty.objects.get(code="08").pk if code == "county" else EmploymentArea.objects.get(code=code).pk
    )
    party = agreement.parties.get(organisation_id=organisation_id)
    StaffRow.objects.filter(agreement=agreement, party=party).delete()
    for n, amount in enumerate(amounts):
        StaffRow.objects.create(agreement=agreement, party=party, position=n, title="Ohjaaja", amount=Decimal(amount))


def set_costs(agreement, *amounts):
    CostItem.objects.filter(agreement=agreement).delete()
    for n, amount in enumerate(amounts):
        CostItem.objects.create(agreement=agreement, position=n, name=f"Kulu {n}", annual_amount=Decimal(amount))


def authority_shares(agreement, **percents):
    for code, percent in percents.items():
        party = agreement.parties.get(organisation_id=EmploymentArea.objects.get(code=code.lstrip("_")).pk)
        AuthorityShare.objects.create(agreement=agreement, party=party, percent=Decimal(percent))


# --- the default: in proportion to the staff taking part -----------------------------------------


def test_by_default_the_costs_follow_the_staff_and_kelas_staff_is_not_in_the_split(who):
    # Tampereen seutu 3,5 FTE, the county 2,5 FTE, Kela 1 FTE; joint costs 12 000 + 3 000 €.
    agreement = start(who)
    split = cost_split(agreement)
    assert (split.total, split.kela, split.split) == (Decimal("15000.00"), Decimal("0.00"), Decimal("15000.00"))
    assert shares(split) == {"Tampereen seutu": ("8750.00", "58.33"), "county": ("6250.00", "41.67")}
    assert [str(s.staff) for s in split.shares] == ["3.50", "2.50"]
    # Kela's staff does not move the split.
    StaffRow.objects.filter(agreement=agreement, party__organisation__kind="kela").update(amount=Decimal("40"))
    assert shares(cost_split(agreement)) == {"Tampereen seutu": ("8750.00", "58.33"), "county": ("6250.00", "41.67")}


def test_staff_counted_in_persons_split_the_same_way(who):
    agreement = start(who)
    set_terms(agreement, staff_basis=TymAgreement.StaffBasis.HEADCOUNT)
    set_staff(agreement, "39", "1", "1", "1")  # three persons
    set_staff(agreement, "county", "1", "1")  # two persons
    assert shares(cost_split(agreement)) == {"Tampereen seutu": ("9000.00", "60.00"), "county": ("6000.00", "40.00")}


def test_no_staff_under_the_default_is_a_problem(who, english):
    agreement = start(who)
    StaffRow.objects.filter(agreement=agreement).exclude(party__organisation__kind="kela").delete()
    split = cost_split(agreement)
    assert split.shares == []
    assert split.problems == [
        "The default split follows the staff, and the employment authorities and the county have no staff entered."
    ]
    # Under an agreed key the staff do not matter.
    set_terms(agreement, cost_key=Key.FIXED, county_percent=Decimal("40"))
    assert shares(cost_split(agreement)) == {"Tampereen seutu": ("9000.00", "60.00"), "county": ("6000.00", "40.00")}


def test_a_county_without_staff_bears_nothing_by_default(who):
    agreement = start(who)
    StaffRow.objects.filter(agreement=agreement, party__organisation__kind="county").delete()
    assert shares(cost_split(agreement)) == {"Tampereen seutu": ("15000.00", "100.00"), "county": ("0.00", "0.00")}


# --- an agreed key -------------------------------------------------------------------------------


def test_an_agreed_fixed_key_gives_the_county_its_percent(who):
    agreement = start(who)
    set_terms(agreement, cost_key=Key.FIXED, county_percent=Decimal("40"))
    assert shares(cost_split(agreement)) == {"Tampereen seutu": ("9000.00", "60.00"), "county": ("6000.00", "40.00")}


def test_an_agreed_key_without_the_countys_percent_is_a_problem(who, english):
    agreement = start(who)
    set_terms(agreement, cost_key=Key.FIXED, county_percent=None)
    split = cost_split(agreement)
    assert split.shares == [] and split.problems == ["Give the county's share of the joint costs in percent."]


@pytest.mark.parametrize(
    ("name", "basis", "problem"),
    [
        ("", "", True),
        ("Asiakasmäärät", "", True),
        ("", "Kunkin kunnan asiakasmäärä 31.12.", True),
        ("  ", " ", True),
        ("Asiakasmäärät", "Kunkin kunnan asiakasmäärä 31.12.", False),
    ],
)
def test_a_key_of_its_own_needs_its_name_and_basis(who, english, name, basis, problem):
    agreement = start(who)
    set_terms(agreement, cost_key=Key.CUSTOM, cost_key_name=name, cost_key_basis=basis, county_percent=Decimal("35"))
    split = cost_split(agreement)
    if problem:
        assert split.problems == ["An agreed key of its own needs its name and its basis."] and split.shares == []
    else:
        assert shares(split) == {"Tampereen seutu": ("9750.00", "65.00"), "county": ("5250.00", "35.00")}


# --- several employment authorities (areas 39 and 21: Tampereen seutu and Läntinen Pirkanmaa) ------


@pytest.fixture
def two(who):
    """Tampereen seutu 3,5 FTE, Läntinen Pirkanmaa 1,5 FTE, the county 2,5 FTE; costs 15 000 €."""
    agreement = start(who, codes=("39", "21"))
    set_staff(agreement, "21", "1", "0.5")
    return agreement


def test_several_authorities_under_the_default_each_by_its_own_staff(two):
    assert shares(cost_split(two)) == {
        "Tampereen seutu": ("7000.00", "46.67"),
        "Läntinen Pirkanmaa": ("3000.00", "20.00"),
        "county": ("5000.00", "33.33"),
    }


def test_under_the_default_the_authorities_side_follows_the_key_they_state(two):
    """The staff settle the authorities' side against the county's (§10); their own split is theirs."""
    set_terms(two, authority_split=Split.EQUAL)
    assert shares(cost_split(two)) == {
        "Tampereen seutu": ("5000.00", "33.34"),
        "Läntinen Pirkanmaa": ("5000.00", "33.33"),
        "county": ("5000.00", "33.33"),
    }
    set_terms(two, authority_split=Split.FIXED)
    authority_shares(two, **{"39": "60", "21": "40"})
    assert shares(cost_split(two)) == {
        "Tampereen seutu": ("6000.00", "40.00"),
        "Läntinen Pirkanmaa": ("4000.00", "26.67"),
        "county": ("5000.00", "33.33"),
    }


@pytest.mark.parametrize(
    ("split", "percents", "expected"),
    [
        (Split.STAFF, {}, {"Tampereen seutu": ("6300.00", "42.00"), "Läntinen Pirkanmaa": ("2700.00", "18.00")}),
        (Split.EQUAL, {}, {"Tampereen seutu": ("4500.00", "30.00"), "Läntinen Pirkanmaa": ("4500.00", "30.00")}),
        (
            Split.FIXED,
            {"39": "60", "21": "40"},
            {"Tampereen seutu": ("5400.00", "36.00"), "Läntinen Pirkanmaa": ("3600.00", "24.00")},
        ),
    ],
    ids=["by-staff", "equally", "60-40"],
)
def test_under_an_agreed_key_the_authorities_split_their_side_by_the_stated_key(two, split, percents, expected):
    set_terms(two, cost_key=Key.FIXED, county_percent=Decimal("40"), authority_split=split)
    authority_shares(two, **percents)
    assert shares(cost_split(two)) == {**expected, "county": ("6000.00", "40.00")}


@pytest.mark.parametrize(
    ("percents", "problem"),
    [
        ({"39": "60", "21": "30"}, "The employment authorities' shares add up to 90 %, not 100 %."),
        ({"39": "60", "21": "40.01"}, "The employment authorities' shares add up to 100.01 %, not 100 %."),
        ({"39": "100"}, "Give the share of every employment authority: Läntinen Pirkanmaa."),
    ],
)
def test_agreed_percentages_must_be_given_for_each_and_add_up_to_100(two, english, percents, problem):
    set_terms(two, cost_key=Key.FIXED, county_percent=Decimal("40"), authority_split=Split.FIXED)
    authority_shares(two, **percents)
    split = cost_split(two)
    assert split.problems == [problem] and split.shares == []


def test_the_problem_is_written_as_the_reader_writes_numbers(two):
    set_terms(two, cost_key=Key.FIXED, county_percent=Decimal("40"), authority_split=Split.FIXED)
    authority_shares(two, **{"39": "60", "21": "30.5"})
    for language, written in (("fi", "90,5 %"), ("sv", "90,5 %"), ("en", "90.5 %")):
        with translation.override(language):
            assert written in cost_split(two).problems[0]


def test_authorities_with_no_staff_to_split_by_is_a_problem(two, english):
    set_terms(two, cost_key=Key.FIXED, county_percent=Decimal("40"), authority_split=Split.STAFF)
    StaffRow.objects.filter(agreement=two, party__organisation__kind="employment_authority").delete()
    split = cost_split(two)
    assert split.problems == ["The employment authorities' share follows their staff, and they have none entered."]
    # With nothing for the authorities to bear, how they would split it is moot.
    set_terms(two, county_percent=Decimal("100"))
    assert shares(cost_split(two)) == {
        "Tampereen seutu": ("0.00", "0.00"),
        "Läntinen Pirkanmaa": ("0.00", "0.00"),
        "county": ("15000.00", "100.00"),
    }


# --- rounding to the cent -------------------------------------------------------------------------


def test_100_euros_three_ways_round_to_the_cent_and_add_up(who):
    agreement = start(who, codes=("39", "21"))
    for code in ("39", "21", "county"):
        set_staff(agreement, code, "1")
    set_costs(agreement, "100.00")
    split = cost_split(agreement)
    # The cent left over goes to the party listed first: the lead employment authority.
    assert shares(split) == {
        "Tampereen seutu": ("33.34", "33.34"),
        "Läntinen Pirkanmaa": ("33.33", "33.33"),
        "county": ("33.33", "33.33"),
    }
    assert sum(s.euros for s in split.shares) == Decimal("100.00")
    assert sum(s.percent for s in split.shares) == Decimal("100.00")


@pytest.mark.parametrize("total", ["0.01", "0.02", "1.00", "99.99", "12345.67", "1000000.01"])
@pytest.mark.parametrize("fte", [("0.3", "0.7", "1.1"), ("2", "2", "3"), ("0.01", "7.5", "0.01")])
def test_shares_are_in_cents_within_a_cent_of_the_exact_share_and_add_up(who, total, fte):
    agreement = start(who, codes=("39", "21"))
    for code, amount in zip(("39", "21", "county"), fte, strict=True):
        set_staff(agreement, code, amount)
    set_costs(agreement, total)
    split = cost_split(agreement)
    assert split.problems == []
    assert sum(s.euros for s in split.shares) == Decimal(total)
    assert sum(s.percent for s in split.shares) == Decimal("100.00")
    staff_total = sum(Fraction(a) for a in fte)
    for share, amount in zip(split.shares, fte, strict=True):
        assert share.euros == share.euros.quantize(Decimal("0.01")) and share.euros >= 0
        exact = Fraction(total) * Fraction(amount) / staff_total
        assert abs(Fraction(share.euros) - exact) < Fraction(1, 100)
        assert abs(Fraction(share.percent) - 100 * Fraction(amount) / staff_total) < Fraction(1, 100)


def test_the_same_agreement_rounds_the_same_way_every_time(who):
    agreement = start(who, codes=("39", "21"))
    for code in ("39", "21", "county"):
        set_staff(agreement, code, "1")
    set_costs(agreement, "0.02")
    results = {tuple((str(s.euros), str(s.percent)) for s in cost_split(agreement).shares) for _n in range(5)}
    assert results == {(("0.01", "33.34"), ("0.01", "33.33"), ("0.00", "33.33"))}


# --- Kela's participation --------------------------------------------------------------------------


def test_kelas_contribution_is_taken_off_before_the_split(who):
    agreement = start(who)
    set_terms(agreement, kela_participation=Kela.CONTRIBUTION, kela_contribution=Decimal("3000.00"))
    split = cost_split(agreement)
    assert (split.total, split.kela, split.split) == (Decimal("15000.00"), Decimal("3000.00"), Decimal("12000.00"))
    assert shares(split) == {"Tampereen seutu": ("7000.00", "58.33"), "county": ("5000.00", "41.67")}


def test_a_sum_kept_from_an_earlier_choice_counts_only_as_a_contribution(who):
    agreement = start(who)
    set_terms(agreement, kela_participation=Kela.OWN_STAFF, kela_contribution=Decimal("3000.00"))
    split = cost_split(agreement)
    assert split.kela == Decimal("0.00")
    assert shares(split) == {"Tampereen seutu": ("8750.00", "58.33"), "county": ("6250.00", "41.67")}


def test_kela_paying_all_the_costs_leaves_nothing_to_split(who):
    agreement = start(who)
    set_terms(agreement, kela_participation=Kela.CONTRIBUTION, kela_contribution=Decimal("15000.00"))
    assert shares(cost_split(agreement)) == {"Tampereen seutu": ("0.00", "58.33"), "county": ("0.00", "41.67")}


def test_a_contribution_larger_than_the_costs_is_a_problem(who, english):
    agreement = start(who)
    set_terms(agreement, kela_participation=Kela.CONTRIBUTION, kela_contribution=Decimal("15000.01"))
    split = cost_split(agreement)
    assert split.problems == ["Kela's contribution is more than the joint costs."]
    assert split.shares == []


def test_without_the_county_among_the_parties_there_is_no_split(who, english):
    agreement = start(who)
    agreement.parties.filter(organisation__kind="county").delete()
    split = cost_split(agreement)
    assert split.shares == [] and split.problems == [
        "The joint costs are split between the employment authorities and the county: both must be parties."
    ]
