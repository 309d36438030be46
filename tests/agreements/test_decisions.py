"""Each party's decision: who records it, its legal force and appeals, the roll-up and the rule
for entering into force (all parties, a quorum, a late approver), and the precondition for signing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import decisions
from agreements.legal_force import appeal_period_end
from agreements.models import Agreement, ChangeProposal, Decision, Event
from agreements.services import decisions as services
from agreements.services.workflow import TransitionRefused, transition
from regions.models import Municipality
from tests.agreements.decision_factories import days_ago, decide, interface_in_decision, party_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
TAMPERE, NOKIA, ORIVESI = "837", "536", "562"


@pytest.fixture
def agreement(carol, alice, bob):
    """Pirkanmaa's family centre agreement between the county, Tampere (Alice) and Nokia (Bob), in decision."""
    return interface_in_decision(carol)


def county_party(agreement):
    party = agreement.parties.get(organisation=agreement.county_id)
    party.agreement = agreement
    return party


# --- Recording ---------------------------------------------------------------------------------


def test_alice_records_tampere_s_council_decision_with_its_appeal_period(agreement, alice):
    tampere = party_of(agreement, TAMPERE)

    decision = decide(
        tampere, alice, minutes_published_on=datetime.date(2026, 3, 2), decided_on=datetime.date(2026, 2, 23)
    )

    assert decision.appeal_period_ends == datetime.date(2026, 4, 8)
    assert decision.recorded_by == alice and not decision.entered_for_party
    assert agreement.events.filter(kind=Event.Kind.DECISION_RECORDED).exists()


def test_a_decision_without_a_publication_date_gets_its_appeal_period_when_the_date_is_added(agreement, alice):
    decision = decide(party_of(agreement, TAMPERE), alice, minutes_published_on=None)
    assert decision.appeal_period_ends is None

    decision = services.decision_update(
        decision=decision,
        by=alice,
        **{f: getattr(decision, f) for f in services.DECISION_FIELDS if f != "minutes_published_on"},
        minutes_published_on=days_ago(30),
    )

    assert decision.appeal_period_ends == appeal_period_end(days_ago(30), Decision.Body.COUNCIL)


def test_alice_may_not_record_nokia_s_decision(agreement, alice):
    with pytest.raises(PermissionDenied):
        decide(party_of(agreement, NOKIA), alice)


def test_a_signatory_of_tampere_may_not_record_its_decision(agreement, sam):
    with pytest.raises(PermissionDenied):
        decide(party_of(agreement, TAMPERE), sam)


def test_carol_records_for_a_party_with_nobody_in_the_portal_and_the_record_says_so(carol, alice):
    agreement = interface_in_decision(carol, codes=(TAMPERE, ORIVESI))
    orivesi = party_of(agreement, ORIVESI)

    decision = decide(orivesi, carol)

    assert decision.entered_for_party


def test_carol_may_not_record_for_a_party_whose_officials_use_the_portal(agreement, carol):
    with pytest.raises(PermissionDenied):
        decide(party_of(agreement, TAMPERE), carol)


def test_an_official_who_joins_takes_over_from_the_coordinator(carol, alice):
    agreement = interface_in_decision(carol, codes=(TAMPERE, ORIVESI))
    make_user("olli", Municipality.objects.get(code=ORIVESI))

    with pytest.raises(PermissionDenied):
        decide(party_of(agreement, ORIVESI), carol)


def test_decisions_are_recorded_only_while_the_agreement_is_in_decision(carol, alice):
    from tests.agreements.factories import start_strategic

    draft = start_strategic("08")
    with pytest.raises(PermissionDenied):
        decide(party_of(draft, TAMPERE), alice)


def test_a_decision_cannot_be_dated_in_the_future_nor_published_before_it_was_made(agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    with pytest.raises(ValidationError) as refused:
        decide(tampere, alice, decided_on=days_ago(-1), minutes_published_on=None)
    assert "decided_on" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        decide(tampere, alice, decided_on=days_ago(5), minutes_published_on=days_ago(6))
    assert "minutes_published_on" in refused.value.error_dict


def test_approved_with_changes_needs_the_changes_and_opens_a_change_proposal(agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    with pytest.raises(ValidationError) as refused:
        decide(tampere, alice, Decision.Outcome.APPROVED_WITH_CHANGES)
    assert "changes" in refused.value.error_dict

    decision = decide(tampere, alice, Decision.Outcome.APPROVED_WITH_CHANGES, changes="Kohta 4.1: lisätään nuoret.")

    proposal = ChangeProposal.objects.get(decision=decision)
    assert proposal.description == "Kohta 4.1: lisätään nuoret." and proposal.status == ChangeProposal.Status.OPEN
    assert agreement.events.filter(kind=Event.Kind.CHANGE_PROPOSED).exists()


def test_the_minutes_may_be_uploaded_as_a_pdf_but_nothing_else(agreement, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tampere = party_of(agreement, TAMPERE)
    with pytest.raises(ValidationError) as refused:
        decide(tampere, alice, minutes_file=SimpleUploadedFile("p.pdf", b"<html>no</html>"))
    assert "minutes_file" in refused.value.error_dict

    decision = decide(tampere, alice, minutes_file=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"))

    assert decision.minutes_file.read().startswith(b"%PDF")


# --- Legal force and appeals -------------------------------------------------------------------


def test_legal_force_is_confirmed_only_after_the_appeal_period(agreement, alice, bob):
    running = decide(party_of(agreement, TAMPERE), alice, decided_on=days_ago(10), minutes_published_on=days_ago(9))
    with pytest.raises(ValidationError, match="appeal period ends"):
        services.legal_force_confirm(decision=running, by=alice)

    over = decide(party_of(agreement, NOKIA), bob)  # published 59 days ago: the 37 days are over
    decision = services.legal_force_confirm(decision=over, by=bob)

    assert decision.legal_force == Decision.LegalForce.FINAL and decisions.is_legally_final(decision)
    assert agreement.events.filter(kind=Event.Kind.LEGAL_FORCE_RECORDED).exists()


def test_only_the_newest_decision_is_confirmed(agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    older = decide(
        tampere, alice, Decision.Outcome.RETURNED, decided_on=days_ago(90), minutes_published_on=days_ago(89)
    )
    decide(tampere, alice)

    with pytest.raises(ValidationError, match="newer decision"):
        services.legal_force_confirm(decision=older, by=alice)


def test_an_appeal_and_its_outcome(agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    decision = decide(tampere, alice)

    decision = services.appeal_record(
        decision=decision, by=alice, court="Hämeenlinnan hallinto-oikeus", filed_on=days_ago(40)
    )
    assert decision.legal_force == Decision.LegalForce.APPEALED and not decisions.is_legally_final(decision)
    assert decisions.party_may_sign(tampere) is None  # approved: legal force is not required by default

    decision = services.appeal_outcome_record(
        decision=decision, by=alice, outcome=Decision.AppealOutcome.DISMISSED, decided_on=days_ago(1)
    )
    assert decisions.is_legally_final(decision)
    assert agreement.events.filter(kind=Event.Kind.APPEAL_RECORDED).count() == 2


def test_an_upheld_appeal_annuls_the_approval(agreement, alice):
    tampere = party_of(agreement, TAMPERE)
    decision = services.appeal_record(decision=decide(tampere, alice), by=alice, court="HaO", filed_on=days_ago(40))
    services.appeal_outcome_record(
        decision=decision, by=alice, outcome=Decision.AppealOutcome.UPHELD, decided_on=days_ago(1)
    )

    result = decisions.rollup(agreement)

    assert result.approved == 0 and result.pending == 3
    assert "not decided" in decisions.party_may_sign(tampere)


# --- The roll-up and the rule -----------------------------------------------------------------


def test_the_roll_up_counts_each_party_s_newest_decision(agreement, alice, bob, carol):
    tampere, nokia = party_of(agreement, TAMPERE), party_of(agreement, NOKIA)
    decide(tampere, alice, Decision.Outcome.RETURNED, decided_on=days_ago(90), minutes_published_on=days_ago(89))
    decide(tampere, alice, decided_on=days_ago(5), minutes_published_on=days_ago(4))  # appeal period running
    decide(nokia, bob, Decision.Outcome.RETURNED)

    result = decisions.rollup(agreement)

    assert (result.approved, result.returned, result.pending, result.appeal_period_running) == (1, 1, 1, 1)
    assert result.summary == "1 / 3 approved, 1 returned for preparation, 1 pending, 1 appeal period running"
    assert not result.entry_rule_met and result.bound_party_ids == []


def test_signing_waits_until_every_party_has_approved(agreement, alice, bob, carol):
    decide(party_of(agreement, TAMPERE), alice)
    decide(party_of(agreement, NOKIA), bob)

    with pytest.raises(TransitionRefused, match="2 / 3 parties have approved; the agreement needs all of them"):
        transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol)

    decide(county_party(agreement), carol)
    assert transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol).status == Agreement.Status.SIGNING


def test_with_a_quorum_the_rule_is_met_by_enough_parties_and_a_late_approver_is_bound_from_its_own_decision(
    carol, alice, bob
):
    agreement = interface_in_decision(carol, entry_rule=Agreement.EntryRule.QUORUM, entry_quorum=2)
    tampere, nokia = party_of(agreement, TAMPERE), party_of(agreement, NOKIA)
    decide(county_party(agreement), carol, decided_on=days_ago(60))
    with pytest.raises(TransitionRefused, match="1 / 3 parties have approved; the agreement needs 2 of them"):
        transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol)
    decide(tampere, alice, decided_on=days_ago(50), minutes_published_on=days_ago(49))

    transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol)
    decide(nokia, bob, decided_on=days_ago(10), minutes_published_on=days_ago(9))  # late, while being signed

    result = decisions.rollup(agreement)
    assert result.entry_rule_met and result.rule_met_on == days_ago(50)
    assert result.bound_from == {
        county_party(agreement).pk: days_ago(50),
        tampere.pk: days_ago(50),
        nokia.pk: days_ago(10),
    }


def test_with_signing_requiring_legal_force_only_legally_final_approvals_count(agreement, alice, bob, carol, settings):
    settings.SIGNING_REQUIRES_LEGAL_FORCE = True
    for party, user in ((party_of(agreement, TAMPERE), alice), (party_of(agreement, NOKIA), bob)):
        services.legal_force_confirm(decision=decide(party, user), by=user)
    county = county_party(agreement)
    running = decide(county, carol, decided_on=days_ago(3), minutes_published_on=days_ago(2))

    with pytest.raises(TransitionRefused, match="2 / 3 parties' approvals are legally final"):
        transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol)
    assert "appeal period ends" in decisions.party_may_sign(county)
    assert decisions.party_may_sign(party_of(agreement, TAMPERE)) is None
    assert running.appeal_period_ends > days_ago(0)


def test_a_party_that_rejected_may_not_sign(agreement, bob):
    nokia = party_of(agreement, NOKIA)
    decide(nokia, bob, Decision.Outcome.REJECTED)

    assert "Rejected" in decisions.party_may_sign(nokia)
