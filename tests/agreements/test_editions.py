"""Editions: a change after freezing is a new edition started from the frozen text; a party's change
proposal is accepted (a new edition, back to decision) or rejected with reasons.

Carol coordinates Pirkanmaa, the organiser; Alice is Tampere's official, Tampere a party.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements import permissions
from agreements.canonical import text_sha256
from agreements.models import Agreement, ChangeProposal, Event
from agreements.services import annex_add, annex_remove, forum_save, goal_save, measure_save, section_save
from agreements.services.editions import change_proposal_accept, change_proposal_reject, edition_start
from agreements.services.workflow import TransitionRefused, transition
from tests.agreements.workflow_factories import change_proposal, frozen, in_decision, interface_agreement, put_in

S = Agreement.Status
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def agreement(carol):
    agreement = interface_agreement(carol)
    tampere, nokia = agreement.parties.get(official_name="Tampere"), agreement.parties.get(official_name="Nokia")
    goal = goal_save(agreement=agreement, by=carol, title="Tavoite", theme="housing", responsible_parties=[tampere])
    measure_save(goal=goal, by=carol, description="Toimenpide", lead_party=tampere, co_parties=[nokia])
    forum_save(agreement=agreement, by=carol, name="Foorumi", level="expert", chair=tampere, seats={nokia: 2})
    annex_add(
        agreement=agreement,
        by=carol,
        title="Liite",
        upload=SimpleUploadedFile("l.pdf", PDF, content_type="application/pdf"),
    )
    return agreement


def test_a_new_edition_starts_from_the_frozen_text_with_the_same_parties(agreement, carol, alice):
    frozen(agreement, carol)

    new = edition_start(agreement=agreement, by=carol, reason="Tavoitteet päivitetään")

    agreement.refresh_from_db()
    assert (new.status, new.edition, new.series, new.previous_edition) == (S.DRAFT, 2, agreement, agreement)
    assert (new.county, new.kind, new.title) == (agreement.county, agreement.kind, agreement.title)
    # Every part of the text is copied: the canonical text hashes the same.
    assert text_sha256(new) == agreement.text_sha256
    assert not new.text_sha256
    assert permissions.can_edit_agreement(alice, Agreement.objects.get(pk=new.pk))
    assert permissions.can_run_workflow(carol, Agreement.objects.get(pk=new.pk))
    assert new.events.filter(kind=Event.Kind.EDITION_STARTED).exists()
    assert agreement.events.filter(kind=Event.Kind.EDITION_STARTED, subject__contains="Edition 2").exists()


def test_the_new_editions_annex_is_a_file_of_its_own(agreement, carol):
    frozen(agreement, carol)
    new = edition_start(agreement=agreement, by=carol, reason="x")

    annex_remove(annex=new.annexes.get(), by=carol)

    with agreement.annexes.get().file.open("rb") as f:
        assert f.read() == PDF


def test_a_new_edition_is_refused_from_an_open_text_and_twice_from_one_edition(agreement, carol, alice):
    with pytest.raises(ValidationError, match="not frozen"):
        edition_start(agreement=agreement, by=carol, reason="x")
    frozen(agreement, carol)
    with pytest.raises(PermissionDenied):
        edition_start(agreement=agreement, by=alice, reason="x")
    with pytest.raises(ValidationError, match="Say why"):
        edition_start(agreement=agreement, by=carol, reason=" ")
    edition_start(agreement=agreement, by=carol, reason="x")

    with pytest.raises(ValidationError, match="Edition 2 has already been started"):
        edition_start(agreement=agreement, by=carol, reason="y")


def test_an_ended_agreement_gets_no_new_edition(agreement, carol):
    frozen(agreement, carol)
    put_in(agreement, S.TERMINATED)

    with pytest.raises(ValidationError, match="has ended"):
        edition_start(agreement=agreement, by=carol, reason="x")


def test_an_accepted_change_proposal_makes_a_new_edition_that_goes_back_to_decision(agreement, carol):
    in_decision(agreement, carol)
    proposal = change_proposal(agreement)

    new = change_proposal_accept(proposal=proposal, by=carol, reason="Muutos hyväksytään")

    agreement.refresh_from_db()
    proposal.refresh_from_db()
    assert agreement.status == S.SUPERSEDED
    assert "change proposal of Nokia accepted, edition 2 started" in agreement.events.first().subject
    assert (proposal.status, proposal.new_edition, proposal.resolved_by) == (ChangeProposal.Status.ACCEPTED, new, carol)
    # The coordinator applies the change and freezes the new edition straight from its draft.
    section = new.sections.get(key="2")
    section_save(section=section, text="<p>Tarkoitus, muutettuna</p>", base_version=section.version, by=carol)
    transition(agreement=new, to=S.NEGOTIATED, by=carol)
    moved = transition(agreement=new, to=S.IN_DECISION, by=carol)

    assert moved.status == S.IN_DECISION
    assert moved.text_sha256 != agreement.text_sha256


def test_a_change_proposal_is_rejected_with_reasons(agreement, carol, alice):
    in_decision(agreement, carol)
    proposal = change_proposal(agreement)

    with pytest.raises(ValidationError, match="reasons"):
        change_proposal_reject(proposal=proposal, by=carol, resolution="")
    with pytest.raises(PermissionDenied):
        change_proposal_reject(proposal=proposal, by=alice, resolution="Ei")
    change_proposal_reject(proposal=proposal, by=carol, resolution="Muutos ei sovi muille osapuolille")

    proposal.refresh_from_db()
    agreement.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.REJECTED
    assert proposal.resolution == "Muutos ei sovi muille osapuolille"
    assert agreement.status == S.IN_DECISION
    assert agreement.events.filter(kind=Event.Kind.CHANGE_REJECTED).exists()
    with pytest.raises(ValidationError, match="already been resolved"):
        change_proposal_accept(proposal=proposal, by=carol)


def test_a_later_edition_in_force_supersedes_the_earlier_one(agreement, carol):
    frozen(agreement, carol)
    put_in(agreement, S.IN_FORCE)
    new = edition_start(agreement=agreement, by=carol, reason="Päivitys")
    frozen(new, carol)
    put_in(new, S.SIGNED)

    transition(agreement=new, to=S.IN_FORCE, by=None)

    agreement.refresh_from_db()
    assert agreement.status == S.SUPERSEDED
    assert agreement.ended_on == timezone.localdate()
    assert "edition 2 entered into force" in agreement.events.first().subject


def test_superseding_needs_the_later_edition(agreement, carol):
    frozen(agreement, carol)
    put_in(agreement, S.IN_FORCE)

    with pytest.raises(TransitionRefused, match="later edition"):
        transition(agreement=agreement, to=S.SUPERSEDED, by=None)
