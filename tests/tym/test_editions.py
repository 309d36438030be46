"""A new edition of a frozen TYM agreement takes over its group and terms, its parties mapped."""

import pytest

from agreements import permissions
from agreements.canonical import text_sha256
from agreements.models import Agreement, Approval
from agreements.services import workflow
from agreements.services.approvals import approval_record
from agreements.services.editions import edition_start
from tests.tym.builders import complete, group_with_members, tym_agreement
from tym.models import AuthorityShare, CostItem, ServiceLocation, StaffRow, TymAgreement

pytestmark = pytest.mark.postgres


@pytest.fixture
def frozen(who):
    group = group_with_members(who["coordinator"], areas=("39", "21"), name="Tampereen seutu ja Läntinen Pirkanmaa")
    agreement = complete(tym_agreement(group, who["drafter"]))
    first, second = agreement.parties.filter(organisation__kind="employment_authority").order_by("position")
    AuthorityShare.objects.create(agreement=agreement, party=first, percent="70.00")
    AuthorityShare.objects.create(agreement=agreement, party=second, percent="30.00")
    TymAgreement.objects.filter(agreement=agreement).update(authority_split=TymAgreement.AuthoritySplit.FIXED)
    workflow.transition(agreement=agreement, to=Agreement.Status.SUBMITTED, by=who["drafter"])
    for by in (who["coordinator"], who["kela"]):
        approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=by)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.NEGOTIATED
    return agreement


def test_a_new_edition_hashes_as_the_frozen_one(frozen, who):
    new = edition_start(agreement=frozen, by=who["drafter"], reason="Henkilöstötarve kasvaa")

    assert new.tym.group == frozen.tym.group and new.status == Agreement.Status.DRAFT
    assert text_sha256(new) == frozen.text_sha256
    for model in (ServiceLocation, StaffRow, CostItem, AuthorityShare):
        assert model.objects.filter(agreement=new).count() == model.objects.filter(agreement=frozen).count() > 0
    new_parties = set(new.parties.values_list("pk", flat=True))
    assert set(StaffRow.objects.filter(agreement=new).values_list("party", flat=True)) <= new_parties
    assert set(AuthorityShare.objects.filter(agreement=new).values_list("party", flat=True)) <= new_parties
    assert not StaffRow.objects.filter(agreement=new, location__agreement=frozen).exists()


def test_the_new_edition_is_drafted_and_approved_by_the_same_people(frozen, who):
    new = edition_start(agreement=frozen, by=who["drafter"], reason="Henkilöstötarve kasvaa")

    assert permissions.can_edit_agreement(who["drafter"], new) and permissions.can_run_workflow(who["drafter"], new)
    assert permissions.can_view_agreement(who["coordinator"], new)
    assert not permissions.can_view_agreement(who["other_coordinator"], new)
    StaffRow.objects.filter(agreement=new).update(amount="4.00")
    assert text_sha256(new) != frozen.text_sha256
