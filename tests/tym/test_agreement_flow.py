"""A TYM agreement from its group to frozen text: start, statutory checks, submission, approvals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from agreements import approvals, kinds, permissions
from agreements.canonical import text_sha256
from agreements.models import Agreement, Approval, Comment
from agreements.services import workflow
from agreements.services.approvals import approval_record
from tests.tym.builders import complete, group_with_members, tym_agreement

pytestmark = pytest.mark.postgres
S = Agreement.Status


def submit(agreement, by):
    return workflow.transition(agreement=agreement, to=S.SUBMITTED, by=by)


def test_the_parties_are_the_groups_organisations_and_the_template_is_tyms(agreement):
    kinds_ = sorted(p.organisation.kind for p in agreement.parties.select_related("organisation"))
    assert kinds_ == ["county", "employment_authority", "kela"]
    assert agreement.kind == "tym"
    keys = list(agreement.sections.values_list("key", "kind"))
    assert ("5", "tym_staff") in keys and ("7", "tym_costs") in keys
    data_handling = agreement.sections.get(key="9")
    assert "KEHA-keskus" in data_handling.text and data_handling.version == 1


def test_every_check_passes_on_a_complete_agreement(agreement):
    assert [c.key for c in kinds.checks_of(agreement) if not c.ok] == []


def test_editors_are_the_employment_authoritys_people(agreement, who):
    assert permissions.can_edit_agreement(who["drafter"], agreement)
    assert permissions.can_run_workflow(who["drafter"], agreement)
    for name in ("coordinator", "county_official", "kela"):
        assert permissions.can_view_agreement(who[name], agreement)
        assert not permissions.can_edit_agreement(who[name], agreement)
        assert not permissions.can_run_workflow(who[name], agreement)
    for name in ("other_coordinator", "municipal", "other_drafter"):
        with pytest.raises(Http404):
            permissions.get_agreement_for_user(who[name], agreement.pk)


def test_approved_by_the_county_then_kela_freezes_the_text(agreement, who):
    agreement = submit(agreement, who["drafter"])
    assert not permissions.can_edit_agreement(who["drafter"], agreement)
    assert approvals.current_step(agreement).key == "county"
    with pytest.raises(PermissionDenied):  # Kela's turn comes after the county's
        approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["kela"])
    approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["coordinator"])
    agreement.refresh_from_db()
    assert agreement.status == S.SUBMITTED and approvals.current_step(agreement).key == "kela"
    approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["kela"])
    agreement.refresh_from_db()
    assert agreement.status == S.NEGOTIATED
    assert agreement.text_sha256 == text_sha256(agreement)
    assert agreement.frozen_by == who["kela"]


def test_a_return_sends_it_back_with_its_comments_in_a_discussion(agreement, who):
    agreement = submit(agreement, who["drafter"])
    with pytest.raises(ValidationError):
        approval_record(agreement=agreement, outcome=Approval.Outcome.RETURNED, by=who["coordinator"])
    approval_record(
        agreement=agreement,
        outcome=Approval.Outcome.RETURNED,
        by=who["coordinator"],
        comments="Henkilöstötaulukosta puuttuu sijainti.",
        section_key="5",
    )
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT
    thread = Comment.objects.get(section__agreement=agreement, section__key="5")
    assert thread.text == "Henkilöstötaulukosta puuttuu sijainti." and thread.is_open
    assert permissions.can_edit_agreement(who["drafter"], agreement)
    # Submitted again, the county approves anew: the earlier round's approvals do not count.
    agreement = submit(agreement, who["drafter"])
    assert approvals.current_step(agreement).key == "county"


def test_a_failing_check_blocks_submission(agreement, who):
    agreement.tym_staff.all().delete()
    with pytest.raises(workflow.TransitionRefused, match="No staff entered"):
        submit(agreement, who["drafter"])


def test_a_tym_agreement_skips_consultation_and_others_are_never_submitted(agreement, who):
    assert workflow.allowed_moves(agreement) == (S.SUBMITTED,)
    with pytest.raises(workflow.TransitionRefused, match="cannot become negotiated"):  # every edition, too
        workflow.transition(agreement=agreement, to=S.NEGOTIATED, by=who["drafter"], confirm_open_threads=True)
    from tests.agreements.workflow_factories import interface_agreement

    interface = interface_agreement(who["coordinator"])
    assert S.SUBMITTED not in workflow.allowed_moves(interface)
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(agreement=interface, to=S.SUBMITTED, by=who["coordinator"])


def test_nobody_of_another_county_approves(agreement, who):
    agreement = submit(agreement, who["drafter"])
    for name in ("other_coordinator", "county_official", "drafter"):
        with pytest.raises(PermissionDenied):
            approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who[name])


def test_the_agreements_app_knows_nothing_of_tym():
    """The dependency runs one way: tym builds on agreements through agreements.kinds."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for folder in ("agreements", "templates/agreements")
        for path in (root / folder).rglob("*")
        if path.suffix in (".py", ".html", ".txt") and re.search(r"\btym\b", path.read_text(encoding="utf-8"), re.I)
    ]
    assert offenders == []


def test_a_tym_agreement_is_decided_by_the_bodies_the_law_names(agreement, who):
    from agreements.models import Decision
    from agreements.services import decisions

    agreement = submit(agreement, who["drafter"])
    approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["coordinator"])
    approval_record(agreement=agreement, outcome=Approval.Outcome.APPROVED, by=who["kela"])
    agreement = workflow.transition(agreement=agreement, to=S.IN_DECISION, by=who["drafter"])
    authority = agreement.parties.get(organisation__kind="employment_authority")
    fields = {"decided_on": agreement.valid_from, "section": "12", "outcome": Decision.Outcome.APPROVED}
    with pytest.raises(ValidationError) as excinfo:
        decisions.decision_record(party=authority, by=who["drafter"], body=Decision.Body.COUNCIL, **fields)
    assert set(excinfo.value.message_dict) == {"body"}
    decision = decisions.decision_record(party=authority, by=who["drafter"], body=Decision.Body.COMMITTEE, **fields)
    assert decision.is_approval


def test_the_group_section_shows_a_member_named_after_it_was_last_read(agreement, who, client):
    from django.urls import reverse

    from regions.models import Organisation
    from tym import services

    client.force_login(who["drafter"])
    url = reverse("agreements:section", args=[agreement.pk, "3"])
    assert "Pekka Puheenjohtaja" in client.get(url).content.decode()
    group = agreement.tym.group
    services.group_member_add(
        group=group,
        organisation=Organisation.objects.get(kind=Organisation.Kind.KELA),
        role="member",
        person_name="Uusi Jäsen",
        title="Asiantuntija",
        deputy_name="Uusi Varajäsen",
        deputy_title="Asiantuntija",
        valid_from=group.term_start,
        by=who["kela"],  # Kela names its own members
    )
    assert "Uusi Jäsen" in client.get(url).content.decode()


def test_helsinki_is_both_the_employment_authority_and_the_organiser_of_its_agreement(areas):
    """Helsinki organises social and health services itself (615/2021 §2) and is its own employment
    authority: the city takes part in both roles, as two parties of the agreement, and nothing refuses it."""
    from regions.models import EmploymentArea, Organisation, WellbeingCounty
    from tests.conftest import make_user
    from users.models import Role

    city, authority = WellbeingCounty.objects.get(code="90"), EmploymentArea.objects.get(code="08")
    coordinator = make_user("helsinki-sote", city, Role.COORDINATOR)
    official = make_user("helsinki-tyo", authority)
    make_user("kela-helsinki", Organisation.objects.get(kind=Organisation.Kind.KELA))
    group = group_with_members(coordinator, areas=("08",), name="Helsinki", county="90")
    agreement = complete(tym_agreement(group, official))
    assert {p.organisation_id for p in agreement.parties.all()} >= {city.pk, authority.pk}
    assert [c.key for c in kinds.checks_of(agreement) if not c.ok] == []
    assert submit(agreement, official).status == S.SUBMITTED
