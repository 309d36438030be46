"""The statutory checks of a TYM agreement (381/2023 §9, decree 388/2024 §3): each fails alone.

A complete agreement passes every check. Each case then breaks exactly one thing, through the ORM
while the agreement is a draft, and exactly that one check fails, with a problem that names it;
submission for approval is refused with that problem while it fails.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import kinds
from agreements.models import Agreement
from agreements.services import workflow
from regions.models import EmploymentArea, EmploymentAreaMembership, Organisation
from tests.tym.builders import START, complete, group_with_members, tym_agreement
from tym import checks
from tym.models import AuthorityShare, CostItem, GroupMember, ServiceLocation, StaffRow, TymAgreement

pytestmark = pytest.mark.postgres
S = Agreement.Status
Kind = Organisation.Kind
Role = GroupMember.Role
EVERY_CHECK = list(checks.LABELS)


def build(who, codes=("39",)):
    drafter = who["drafter"] if codes[0] == "39" else who["other_drafter"]
    name = "Tampereen seutu" if codes[0] == "39" else "Läntinen Pirkanmaa"
    group = group_with_members(who["coordinator"], areas=codes, name=name)
    return complete(tym_agreement(group, drafter)), drafter


def failing(agreement) -> dict[str, str]:
    return {c.key: c.problem for c in kinds.checks_of(agreement) if not c.ok}


def terms_update(agreement, **values):
    TymAgreement.objects.filter(agreement=agreement).update(**values)


def party_of(agreement, code):
    return agreement.parties.get(organisation_id=area(code).pk)


def area(code):
    return EmploymentArea.objects.get(code=code)


# --- the breakers: each breaks exactly one thing -------------------------------------------------


def no_employment_authority(agreement):
    agreement.parties.filter(organisation__kind=Kind.EMPLOYMENT_AUTHORITY).delete()


def county_not_a_party(agreement):
    agreement.parties.filter(organisation__kind=Kind.COUNTY).delete()


def kela_not_a_party(agreement):
    agreement.parties.filter(organisation__kind=Kind.KELA).delete()


def no_chair(agreement):
    GroupMember.objects.filter(group=agreement.tym.group, role=Role.CHAIR).delete()


def chair_from_the_county(agreement):
    group = agreement.tym.group
    GroupMember.objects.filter(group=group, role=Role.CHAIR).update(organisation_id=group.county_id)


def chair_from_kela(agreement):
    kela = Organisation.objects.get(kind=Kind.KELA)
    GroupMember.objects.filter(group=agreement.tym.group, role=Role.CHAIR).update(organisation_id=kela.pk)


def no_vice_chair(agreement):
    GroupMember.objects.filter(group=agreement.tym.group, role=Role.VICE_CHAIR).delete()


def vice_chair_from_the_authority(agreement):
    group = agreement.tym.group
    GroupMember.objects.filter(group=group, role=Role.VICE_CHAIR).update(organisation_id=group.lead_authority_id)


def member_without_deputy(agreement):
    group = agreement.tym.group
    GroupMember.objects.create(
        group=group,
        organisation_id=group.county_id,
        role=Role.MEMBER,
        person_name="Maija Jäsen",
        title="Asiantuntija",
        deputy_name="",
        valid_from=START,
        valid_until=group.term_end,
    )


def chairs_deputy_gone(agreement):
    GroupMember.objects.filter(group=agreement.tym.group, role=Role.CHAIR).update(deputy_name="  ")


def second_authority_not_a_party(agreement):
    agreement.parties.filter(organisation_id=area("21").pk).delete()


def areas_municipalities_moved_away(agreement):
    """Läntinen Pirkanmaa's municipalities move to Tampereen seutu from the agreement's start: on the
    day the group is checked, its one employment area has no municipality in the county."""
    moved_on = agreement.valid_from
    memberships = EmploymentAreaMembership.objects.valid_on(moved_on).filter(employment_area=area("21"))
    municipality_ids = list(memberships.values_list("municipality_id", flat=True))
    assert municipality_ids
    memberships.update(valid_to=moved_on)
    EmploymentAreaMembership.objects.bulk_create(
        EmploymentAreaMembership(municipality_id=m, employment_area=area("39"), valid_from=moved_on)
        for m in municipality_ids
    )


def no_service_location(agreement):
    ServiceLocation.objects.filter(agreement=agreement).delete()


def no_client_process(agreement):
    terms_update(agreement, client_process=" \n ")


def no_staff(agreement):
    StaffRow.objects.filter(agreement=agreement).delete()


def kela_without_staff(agreement):
    StaffRow.objects.filter(agreement=agreement, party__organisation__kind=Kind.KELA).delete()


def county_without_staff(agreement):
    StaffRow.objects.filter(agreement=agreement, party__organisation__kind=Kind.COUNTY).delete()


def no_staffing_review(agreement):
    terms_update(agreement, staffing_review="")


def no_cost_items(agreement):
    CostItem.objects.filter(agreement=agreement).delete()


def kela_participation_not_stated(agreement):
    terms_update(agreement, kela_participation=TymAgreement.KelaParticipation.NOT_STATED)


def kela_contribution_without_amount(agreement):
    terms_update(agreement, kela_participation=TymAgreement.KelaParticipation.CONTRIBUTION, kela_contribution=None)


def authority_shares_60_and_30(agreement):
    terms_update(
        agreement,
        cost_key=TymAgreement.CostKey.FIXED,
        county_percent=Decimal("40"),
        authority_split=TymAgreement.AuthoritySplit.FIXED,
    )
    for code, percent in (("39", "60"), ("21", "30")):
        AuthorityShare.objects.create(agreement=agreement, party=party_of(agreement, code), percent=Decimal(percent))


def custom_key_without_basis(agreement):
    terms_update(agreement, cost_key=TymAgreement.CostKey.CUSTOM, cost_key_name="Asiakasmäärät", county_percent=40)


def kela_pays_more_than_the_costs(agreement):
    terms_update(
        agreement,
        kela_participation=TymAgreement.KelaParticipation.CONTRIBUTION,
        kela_contribution=Decimal("15000.01"),
    )


def valid_past_the_term(agreement):
    Agreement.objects.filter(pk=agreement.pk).update(valid_until=agreement.tym.group.term_end)


def valid_before_the_term(agreement):
    Agreement.objects.filter(pk=agreement.pk).update(valid_from=START - datetime.timedelta(days=1))


TWO = ("39", "21")
CASES = [
    # (breaker, the group's areas, the one check that fails, words of its problem)
    (no_employment_authority, ("39",), "authority", "No employment authority is a party"),
    (no_employment_authority, TWO, "authority", "Läntinen Pirkanmaa"),
    (county_not_a_party, ("39",), "county", "Pirkanmaa"),
    (kela_not_a_party, ("39",), "kela", "Kela is not a party"),
    (no_chair, ("39",), "chair", "no chair"),
    (chair_from_the_county, ("39",), "chair", "does not represent an employment authority"),
    (chair_from_kela, ("39",), "chair", "does not represent an employment authority"),
    (no_vice_chair, ("39",), "vice_chair", "no vice-chair"),
    (vice_chair_from_the_authority, ("39",), "vice_chair", "does not represent the county"),
    (member_without_deputy, ("39",), "deputies", "Maija Jäsen"),
    (chairs_deputy_gone, ("39",), "deputies", "Pekka Puheenjohtaja"),
    (second_authority_not_a_party, TWO, "area", "Läntinen Pirkanmaa"),
    (areas_municipalities_moved_away, ("21",), "area", "no municipality in the county"),
    (no_service_location, ("39",), "service", "service location"),
    (no_client_process, ("39",), "service", "client process"),
    (no_staff, ("39",), "staff", "No staff entered."),
    (no_staff, TWO, "staff", "No staff entered."),
    (kela_without_staff, ("39",), "staff", "Kansaneläkelaitos"),
    (county_without_staff, ("39",), "staff", "Pirkanmaa"),
    (no_staffing_review, ("39",), "review", "reviewed every year"),
    (no_cost_items, ("39",), "costs", "joint costs"),
    (kela_participation_not_stated, ("39",), "kela_costs", "even when it takes none"),
    (kela_contribution_without_amount, ("39",), "kela_costs", "annual contribution"),
    (authority_shares_60_and_30, TWO, "shares", "add up to 90 %, not 100 %"),
    (custom_key_without_basis, ("39",), "shares", "its name and its basis"),
    (kela_pays_more_than_the_costs, ("39",), "shares", "more than the joint costs"),
    (valid_past_the_term, ("39",), "validity", "1.1.2025–31.12.2029"),
    (valid_before_the_term, ("39",), "validity", "1.1.2025–31.12.2029"),
]


@pytest.mark.parametrize("codes", [("39",), TWO, ("21",)], ids=["one-authority", "two-authorities", "21"])
def test_a_complete_agreement_passes_every_check(who, codes):
    agreement, _drafter = build(who, codes)
    result = kinds.checks_of(agreement)
    assert [c.key for c in result] == EVERY_CHECK
    assert [c.key for c in result if not c.ok] == []


@pytest.mark.parametrize(
    ("breaker", "codes", "key", "words"),
    CASES,
    ids=[f"{breaker.__name__}-{'+'.join(codes)}" for breaker, codes, _key, _words in CASES],
)
def test_each_check_fails_alone_and_blocks_submission(who, english, breaker, codes, key, words):
    agreement, drafter = build(who, codes)
    breaker(agreement)
    agreement = Agreement.objects.get(pk=agreement.pk)

    problems = failing(agreement)
    assert list(problems) == [key], problems
    assert words in problems[key]
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(agreement=agreement, to=S.SUBMITTED, by=drafter)
    assert problems[key] in " ".join(refused.value.messages)
    assert Agreement.objects.get(pk=agreement.pk).status == S.DRAFT


def test_every_failing_check_is_named_when_submission_is_refused(who, english):
    agreement, drafter = build(who)
    no_staffing_review(agreement)
    no_cost_items(agreement)
    kela_participation_not_stated(agreement)
    problems = failing(agreement)
    assert set(problems) == {"review", "costs", "kela_costs"}
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(agreement=agreement, to=S.SUBMITTED, by=drafter)
    message = " ".join(refused.value.messages)
    assert all(problem in message for problem in problems.values())


def test_mended_it_is_submitted(who, english):
    agreement, drafter = build(who)
    no_staffing_review(agreement)
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(agreement=agreement, to=S.SUBMITTED, by=drafter)
    terms_update(agreement, staffing_review="Johtoryhmä arvioi henkilöstön riittävyyden joka vuosi.")
    agreement = workflow.transition(agreement=Agreement.objects.get(pk=agreement.pk), to=S.SUBMITTED, by=drafter)
    assert agreement.status == S.SUBMITTED


def test_members_are_checked_on_the_agreements_first_day(who, english):
    """A chair whose seat ends before the agreement starts does not count for it."""
    group = group_with_members(who["coordinator"])
    agreement = complete(tym_agreement(group, who["drafter"], valid_from=datetime.date(2029, 1, 1)))
    GroupMember.objects.filter(group=group, role=Role.CHAIR).update(valid_until=datetime.date(2028, 12, 31))
    assert list(failing(agreement)) == ["chair"]
    assert "1.1.2029" in failing(agreement)["chair"]


def test_the_checks_read_in_a_fixed_number_of_queries(who, django_assert_num_queries):
    small, _drafter = build(who)
    with CaptureQueriesContext(connection) as captured:
        kinds.checks_of(small)
    queries = len(captured)
    # More staff, costs, locations and members do not mean more queries.
    group = small.tym.group
    location = ServiceLocation.objects.filter(agreement=small).first()
    for party in small.parties.all():
        for n in range(5):
            StaffRow.objects.create(agreement=small, party=party, position=10 + n, title="Ohjaaja", amount=1)
    for n in range(5):
        CostItem.objects.create(agreement=small, position=10 + n, name=f"Kulu {n}", annual_amount=100)
        ServiceLocation.objects.create(agreement=small, position=10 + n, name=f"Piste {n}", municipality=None)
        GroupMember.objects.create(
            group=group,
            organisation_id=group.county_id,
            person_name=f"Jäsen {n}",
            title="Asiantuntija",
            deputy_name=f"Varajäsen {n}",
            valid_from=START,
            valid_until=group.term_end,
        )
    assert location is not None
    with django_assert_num_queries(queries):
        assert all(c.ok for c in kinds.checks_of(small))


# --- the repealed TYP thresholds: advice, never a check ------------------------------------------


@pytest.mark.parametrize(
    "criteria",
    [
        "Työmarkkinatukea vähintään 300 päivää työttömyyden perusteella saaneet",
        "Asiakkaalla on 300 työttömyyspäivää",
        "yhtäjaksoisesti työttömänä 12 kuukautta, alle 25-vuotiaat 6 kk",
        "vähintään kuuden kuukauden työttömyys",
        "kahdentoista kuukauden yhtäjaksoinen työttömyys",
        "puoli vuotta työttömänä",
        "yli vuoden työttömänä olleet",
        "Personer som fått arbetsmarknadsstöd i 300 dagar",
        "arbetslösa i sex månader",
        "unemployed for twelve months",
        "a 6-month spell of unemployment",
    ],
)
def test_the_repealed_typ_thresholds_are_warned_of(criteria):
    assert "381/2023 §3" in checks.typ_threshold_warning(criteria)


@pytest.mark.parametrize(
    "criteria",
    [
        "Monialaisen tuen tarve (381/2023 3 §).",
        "Suunnitelma laaditaan kolmessa kuukaudessa ja arvioidaan 3 kuukauden välein.",
        "Alle 30-vuotiaat ohjataan Ohjaamoon.",
        "Palvelu alkaa vuoden 2026 alusta; sopimus on voimassa 36 kuukautta.",
        "Behovet av sektorsövergripande stöd.",
        "",
    ],
)
def test_need_based_criteria_are_not_warned_of(criteria):
    assert checks.typ_threshold_warning(criteria) is None


def test_the_warning_never_blocks_submission(who, english):
    agreement, drafter = build(who)
    TymAgreement.objects.filter(agreement=agreement).update(client_criteria="Vähintään 300 päivää työttömänä.")
    assert checks.typ_threshold_warning(TymAgreement.objects.get(agreement=agreement).client_criteria)
    agreement = workflow.transition(agreement=Agreement.objects.get(pk=agreement.pk), to=S.SUBMITTED, by=drafter)
    assert agreement.status == S.SUBMITTED
