"""The edges of an agreement's life where the parts meet: editions and the register, supersession,
a portal admin and a party's signatories, corrections after signing, late approvers on a quorum,
and section 5's terms."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agreements import permissions
from agreements.models import Agreement, Decision
from agreements.services import agreement_terms_update, editions, signing
from agreements.services.decisions import decision_record, decision_update
from agreements.services.workflow import TransitionRefused, transition
from agreements.signing_selectors import home_signatures
from tests.agreements.signing import (
    county_party,
    decide,
    interface_agreement,
    party_of,
    pdf,
    to_decision,
    to_signing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_on_paper(party, by, name="S"):
    signatory = signing.signatory_add(party=party, by=by, name=name, title="Pormestari", authority="HS 45 §")
    return signing.signature_record_outside(
        signatory=signatory, by=by, signed_on=timezone.localdate(), place="Tampere", upload=pdf()
    )


def test_an_edition_superseded_while_in_decision_never_becomes_public(carol, alice, client):
    agreement = to_decision(interface_agreement(carol), carol)
    approval = decision_record(
        party=party_of(agreement, "837"),
        by=alice,
        changes="Kohta 7 tarkennetaan.",
        body=Decision.Body.COUNCIL,
        decided_on=timezone.localdate(),
        section="12",
        outcome=Decision.Outcome.APPROVED_WITH_CHANGES,
    )

    editions.change_proposal_accept(proposal=approval.change_proposal, by=carol, reason="Hyväksytään")

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SUPERSEDED and not agreement.is_public
    assert not permissions.public_agreements().filter(pk=agreement.pk).exists()
    assert client.get(reverse("register:agreement", args=[agreement.pk])).status_code == 404


def test_nobody_supersedes_an_edition_by_hand(carol):
    agreement = to_decision(interface_agreement(carol), carol)
    editions.edition_start(agreement=agreement, by=carol, reason="Uusi painos")

    with pytest.raises(PermissionDenied):
        transition(agreement=agreement, to=Agreement.Status.SUPERSEDED, by=carol)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_DECISION


def test_an_edition_started_by_hand_goes_through_consultation_again(carol):
    agreement = to_decision(interface_agreement(carol), carol)
    new = editions.edition_start(agreement=agreement, by=carol, reason="Uusi painos")

    with pytest.raises(TransitionRefused, match="goes to consultation"):
        transition(agreement=new, to=Agreement.Status.NEGOTIATED, by=carol)
    transition(agreement=new, to=Agreement.Status.CONSULTATION, by=carol, deadline=timezone.localdate())


def test_a_portal_admin_does_not_name_a_partys_signatories(carol, alice, admin_user):
    agreement = to_signing(interface_agreement(carol), carol)
    tampere, county = party_of(agreement, "837"), county_party(agreement)

    assert not permissions.can_name_signatories(admin_user, tampere)
    assert permissions.can_name_signatories(alice, tampere)
    with pytest.raises(PermissionDenied):
        signing.signatory_add(party=tampere, by=admin_user, name="X", title="Y", authority="Z")
    # Carol is the county's own coordinator: she names the county's signatories as its official.
    assert permissions.can_name_signatories(carol, county)


def test_an_approval_the_party_signed_on_is_not_corrected_into_a_rejection(carol, alice, bob):
    agreement = interface_agreement(carol)
    Agreement.objects.filter(pk=agreement.pk).update(entry_rule=Agreement.EntryRule.QUORUM, entry_quorum=2)
    agreement = to_decision(agreement, carol)
    tampere = party_of(agreement, "837")
    approval = decision_record(
        party=tampere,
        by=alice,
        body=Decision.Body.BOARD,
        decided_on=timezone.localdate(),
        section="3",
        outcome=Decision.Outcome.APPROVED,
    )
    decide(county_party(agreement))
    transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol)
    sign_on_paper(party_of(agreement, "837"), alice)

    with pytest.raises(ValidationError, match="has signed the agreement on this approval"):
        decision_update(decision=approval, by=alice, outcome=Decision.Outcome.REJECTED)
    approval.refresh_from_db()
    assert approval.outcome == Decision.Outcome.APPROVED


def test_a_late_approver_of_a_quorum_agreement_signs_after_it_is_signed(carol, alice, bob, sam):
    agreement = interface_agreement(carol, valid_from=datetime.date(2030, 1, 1), valid_until=datetime.date(2033, 5, 31))
    Agreement.objects.filter(pk=agreement.pk).update(entry_rule=Agreement.EntryRule.QUORUM, entry_quorum=2)
    agreement = to_signing(agreement, carol, approved=[county_party(agreement), party_of(agreement, "536")])
    sign_on_paper(county_party(agreement), carol)
    sign_on_paper(party_of(agreement, "536"), bob)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED

    decide(party_of(agreement, "837"))  # Tampere approves late
    awaited = signing.signatory_add(
        party=party_of(agreement, "837"), by=alice, name="Sam", title="Pormestari", authority="HS 45 §", user=sam
    )
    assert home_signatures(user=sam) == [awaited], "Sam's home page asks for his signature"
    signature = sign_on_paper(party_of(agreement, "837"), alice)

    assert signature.pk
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_the_coordinator_sets_the_entry_rule_and_notice_and_they_freeze_with_the_text(client, carol, alice):
    agreement = interface_agreement(carol)
    page = reverse("agreements:terms", args=[agreement.pk])
    client.force_login(carol)
    form = {
        "entry_rule": "quorum",
        "entry_quorum": "9",
        "valid_from": "1.1.2026",
        "valid_until": "31.5.2029",
        "notice_months": "6",
        "review_due": "1.6.2027",
    }

    refused = client.post(page, form, headers={"accept-language": "en"})
    assert refused.status_code == 400 and "at most that many" in refused.content.decode()
    assert client.post(page, {**form, "entry_quorum": "2"}).status_code == 302

    agreement.refresh_from_db()
    assert (agreement.entry_rule, agreement.entry_quorum, agreement.notice_months) == ("quorum", 2, 6)
    assert agreement.review_due == datetime.date(2027, 6, 1)
    client.force_login(alice)
    assert client.get(page).status_code == 403, "only the organiser's coordinators"
    to_decision(agreement, carol)
    client.force_login(carol)
    assert client.get(page).status_code == 403, "frozen with the text"
    with pytest.raises(PermissionDenied):
        agreement_terms_update(agreement=agreement, by=carol, notice_months=3)


@pytest.mark.postgres
def test_the_database_refuses_a_frozen_agreements_notice_period(carol):
    agreement = to_decision(interface_agreement(carol), carol)

    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(notice_months=1)
