"""The rules around a TYM agreement's approval that hold against a second role, a new lead and time."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements import approvals, permissions
from agreements.models import Agreement, Approval
from agreements.services import workflow
from agreements.services.approvals import approval_record
from agreements.services.core import party_remove
from regions.models import EmploymentArea, WellbeingCounty
from tests.tym.builders import complete, group_with_members, tym_agreement
from tym import services
from users.models import Role
from users.services import organisation_role_grant

pytestmark = pytest.mark.postgres
S = Agreement.Status


def submitted(agreement, who):
    return workflow.transition(agreement=agreement, to=S.SUBMITTED, by=who["drafter"])


def test_a_kela_official_who_also_signs_for_the_county_does_not_approve_for_it(agreement, who):
    """Approving is for the role that holds the right in the step's own organisation, not any role."""
    organisation_role_grant(user=who["kela"], organisation=WellbeingCounty.objects.get(code="08"), role=Role.SIGNATORY)
    agreement = submitted(agreement, who)
    assert not permissions.can_approve(who["kela"], agreement)
    with pytest.raises(PermissionDenied):
        approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["kela"])
    approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["coordinator"])
    assert permissions.can_approve(who["kela"], agreement)


def test_an_approver_makes_no_move_but_through_their_approval(agreement, who):
    agreement = submitted(agreement, who)
    with pytest.raises(PermissionDenied):  # Kela, whose turn has not come, cannot send it back
        workflow.transition(agreement=agreement, to=S.DRAFT, by=who["kela"], reason="Ei vielä")
    # The drafters may withdraw it, saying why.
    assert workflow.transition(agreement=agreement, to=S.DRAFT, by=who["drafter"], reason="Korjataan").is_draft


def test_approvals_count_for_their_own_submission(agreement, who):
    agreement = submitted(agreement, who)
    approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["coordinator"])
    agreement = workflow.transition(agreement=agreement, to=S.DRAFT, by=who["drafter"], reason="Korjataan")
    agreement = submitted(agreement, who)
    assert agreement.submission == 2
    assert approvals.current_step(agreement).key == "county"
    assert Approval.objects.get(agreement=agreement).submission == 1


def test_a_new_lead_authority_takes_over_the_groups_agreements(who):
    group = group_with_members(who["coordinator"], areas=("39", "21"), name="Pirkanmaan TYM")
    agreement = complete(tym_agreement(group, who["drafter"]))
    assert permissions.can_run_workflow(who["drafter"], agreement)
    services.steering_group_areas_change(
        group=group,
        employment_areas=list(EmploymentArea.objects.filter(code__in=("39", "21"))),
        lead_authority=EmploymentArea.objects.get(code="21"),
        by=who["coordinator"],
    )
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert permissions.can_run_workflow(who["other_drafter"], agreement)
    assert not permissions.can_run_workflow(who["drafter"], agreement)
    assert permissions.can_edit_agreement(who["drafter"], agreement)  # still a party's official


def test_the_lead_authority_s_party_is_not_removed(agreement, who):
    lead = agreement.parties.get(organisation=agreement.tym.group.lead_authority)
    lead.agreement = agreement
    with pytest.raises(ValidationError, match="organises the agreement"):
        party_remove(party=lead, by=who["drafter"])
    assert permissions.can_view_agreement(who["drafter"], Agreement.objects.get(pk=agreement.pk))


def test_the_follow_up_section_shows_the_groups_yearly_goals(agreement, who, client):
    services.group_goal_add(group=agreement.tym.group, year=2026, goal="Nuorten työllisyys paranee", by=who["drafter"])
    client.force_login(who["kela"])
    page = client.get(reverse("agreements:section", args=[agreement.pk, "10"])).content.decode()
    assert "Nuorten työllisyys paranee" in page


def test_a_kela_representative_gives_no_county_approval_even_as_a_portal_admin(agreement, who):
    kela = who["kela"]
    kela.is_superuser = True
    kela.save()
    organisation_role_grant(user=kela, organisation=WellbeingCounty.objects.get(code="08"), role=Role.ADMIN)
    agreement = submitted(agreement, who)
    assert not permissions.can_approve(kela, Agreement.objects.get(pk=agreement.pk))
