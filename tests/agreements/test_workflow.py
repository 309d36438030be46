"""Every move of the workflow that is this part's, allowed and refused, with the message a user reads.

Carol coordinates Pirkanmaa, which organises the agreement; Alice (Tampere) is a party's official.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements import permissions
from agreements.canonical import canonical_text, text_sha256
from agreements.models import Agreement, Event
from agreements.services import comment_add, goal_save, party_update, section_save
from agreements.services.workflow import TransitionRefused, consultation_deadline_change, transition
from tests.agreements.workflow_factories import consulted, frozen, interface_agreement, put_in, tomorrow

S = Agreement.Status


@pytest.fixture
def agreement(carol):
    return interface_agreement(carol)


def refusal(agreement, to, by, **details) -> str:
    with pytest.raises(TransitionRefused) as caught:
        transition(agreement=agreement, to=to, by=by, **details)
    return " ".join(caught.value.messages)


def last_event(agreement) -> Event:
    return agreement.events.filter(kind=Event.Kind.STATUS_CHANGED).first()


def test_consultation_needs_a_comment_deadline_that_is_not_past(agreement, carol):
    assert "Give the deadline" in refusal(agreement, S.CONSULTATION, carol)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert "cannot be in the past" in refusal(agreement, S.CONSULTATION, carol, deadline=yesterday)

    moved = transition(agreement=agreement, to=S.CONSULTATION, by=carol, reason="Lausunnoille", deadline=tomorrow())

    assert moved.status == S.CONSULTATION
    assert moved.consultation_deadline == tomorrow()
    deadline = f"{tomorrow():%-d.%-m.%Y}"
    assert last_event(agreement).subject == f"Draft → In consultation: Lausunnoille (comments by {deadline})"
    assert last_event(agreement).actor == carol


def test_a_consultation_is_reopened_for_drafting_and_its_deadline_is_gone(agreement, carol):
    consulted(agreement, carol)

    moved = transition(agreement=agreement, to=S.DRAFT, by=carol, reason="Lisää työtä")

    assert moved.status == S.DRAFT and moved.consultation_deadline is None


def test_a_first_edition_is_not_frozen_straight_from_its_draft(agreement, carol):
    assert "goes to consultation before its text is frozen" in refusal(agreement, S.NEGOTIATED, carol)


def test_freezing_records_the_hash_of_the_text_and_who_froze_it(agreement, carol):
    consulted(agreement, carol)
    expected = text_sha256(agreement)

    moved = transition(agreement=agreement, to=S.NEGOTIATED, by=carol)

    assert moved.status == S.NEGOTIATED
    assert moved.text_sha256 == expected and len(expected) == 64
    assert moved.frozen_by == carol and moved.frozen_at is not None
    assert moved.frozen_open_threads == 0


def test_freezing_with_open_discussions_asks_for_confirmation_and_records_it(agreement, carol, alice):
    section = agreement.sections.get(key="2")
    comment_add(section=section, text="Entä nuoret?", by=alice)
    comment_add(section=section, text="Ja koulut?", by=alice)
    consulted(agreement, carol)

    assert "2 discussions are still open" in refusal(agreement, S.NEGOTIATED, carol)

    moved = transition(agreement=agreement, to=S.NEGOTIATED, by=carol, confirm_open_threads=True)

    assert moved.frozen_open_threads == 2
    assert "frozen with 2 open discussions, confirmed" in last_event(agreement).subject


def test_a_negotiated_text_goes_to_decision(agreement, carol):
    frozen(agreement, carol)

    assert transition(agreement=agreement, to=S.IN_DECISION, by=carol).status == S.IN_DECISION


@pytest.mark.parametrize(
    ("status", "to"),
    [
        (S.DRAFT, S.IN_DECISION),
        (S.DRAFT, S.TERMINATED),
        (S.CONSULTATION, S.IN_DECISION),
        (S.NEGOTIATED, S.DRAFT),
        (S.NEGOTIATED, S.CONSULTATION),
        (S.IN_DECISION, S.NEGOTIATED),
        (S.IN_FORCE, S.DRAFT),
        (S.TERMINATED, S.IN_FORCE),
        (S.SUPERSEDED, S.IN_FORCE),
        (S.EXPIRED, S.DRAFT),
    ],
)
def test_a_move_that_is_not_declared_is_refused_by_name(agreement, status, to):
    put_in(agreement, status)

    message = refusal(agreement, to, None)

    assert message == f"An agreement that is {S(status).label.lower()} cannot become {S(to).label.lower()}."


def test_only_the_organisers_coordinators_move_the_workflow(agreement, alice):
    with pytest.raises(PermissionDenied):
        transition(agreement=agreement, to=S.CONSULTATION, by=alice, deadline=tomorrow())
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT


def test_termination_needs_its_date_the_party_that_gave_notice_and_a_reason(agreement, carol):
    put_in(agreement, S.IN_FORCE, in_force_from=datetime.date(2026, 1, 1))
    nokia = agreement.parties.get(official_name="Nokia")

    assert "date the agreement ends" in refusal(agreement, S.TERMINATED, carol)
    assert "before it entered into force" in refusal(
        agreement, S.TERMINATED, carol, ended_on=datetime.date(2025, 12, 31)
    )
    assert "party that gave notice" in refusal(agreement, S.TERMINATED, carol, ended_on=datetime.date(2026, 6, 30))
    assert "reason for ending" in refusal(
        agreement, S.TERMINATED, carol, ended_on=datetime.date(2026, 6, 30), termination_notice_by=nokia
    )

    moved = transition(
        agreement=agreement,
        to=S.TERMINATED,
        by=carol,
        reason="Nokia irtisanoi sopimuksen",
        ended_on=datetime.date(2026, 6, 30),
        termination_notice_by=nokia.pk,
    )

    assert (moved.status, moved.ended_on, moved.termination_notice_by) == (
        S.TERMINATED,
        datetime.date(2026, 6, 30),
        nokia,
    )
    assert moved.termination_reason == "Nokia irtisanoi sopimuksen"


def test_the_party_that_gave_notice_is_a_party_of_this_agreement(agreement, carol):
    other = interface_agreement(carol, "Toinen")
    put_in(agreement, S.IN_FORCE)

    message = refusal(
        agreement,
        S.TERMINATED,
        carol,
        reason="x",
        ended_on=datetime.date(2026, 6, 30),
        termination_notice_by=other.parties.first().pk,
    )

    assert "party that gave notice" in message


def test_an_agreement_expires_only_after_its_validity(agreement, carol):
    put_in(agreement, S.IN_FORCE, valid_until=timezone.localdate())
    assert "valid until" in refusal(agreement, S.EXPIRED, None)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    past = put_in(interface_agreement(carol, "Päättynyt"), S.IN_FORCE, valid_from=yesterday, valid_until=yesterday)
    moved = transition(agreement=past, to=S.EXPIRED, by=None)

    assert moved.status == S.EXPIRED and moved.ended_on == yesterday


def test_only_an_agreement_with_a_later_edition_in_force_is_superseded_and_never_by_hand(agreement, carol):
    put_in(agreement, S.IN_FORCE)

    assert "when a later edition enters into force" in refusal(agreement, S.SUPERSEDED, None)
    with pytest.raises(PermissionDenied):
        transition(agreement=agreement, to=S.SUPERSEDED, by=carol)


# --- The canonical text and its hash ------------------------------------------------------------


def test_the_hash_is_stable_for_the_same_text(agreement, carol):
    first = text_sha256(agreement)

    assert text_sha256(Agreement.objects.get(pk=agreement.pk)) == first
    assert b'"text":"<p>Tarkoitus</p>"' in canonical_text(agreement)


def test_the_hash_changes_with_every_part_of_the_text(agreement, carol):
    seen = {text_sha256(agreement)}

    def changed() -> bool:
        digest = text_sha256(agreement)
        new = digest not in seen
        seen.add(digest)
        return new

    section = agreement.sections.get(key="2")
    section_save(section=section, text="<p>Tarkoitus muuttui</p>", base_version=section.version, by=carol)
    assert changed()
    goal_save(agreement=agreement, by=carol, title="Tavoite", theme="housing")
    assert changed()
    nokia = agreement.parties.get(official_name="Nokia")
    party_update(party=nokia, official_name="Nokian kaupunki", business_id="", by=carol)
    assert changed()
    comment_add(section=section, text="Kommentti ei ole tekstiä", by=carol)
    assert not changed()


def test_during_consultation_only_the_organisers_coordinators_edit(agreement, carol, alice):
    consulted(agreement, carol)
    agreement.refresh_from_db()

    assert permissions.can_edit_agreement(carol, agreement)
    assert not permissions.can_edit_agreement(alice, agreement)
    assert permissions.can_comment_agreement(alice, agreement)
    with pytest.raises(PermissionDenied):
        section_save(section=agreement.sections.get(key="2"), text="<p>x</p>", base_version=1, by=alice)


def test_from_negotiated_on_nobody_edits_or_manages(agreement, carol, admin_user):
    frozen(agreement, carol)
    agreement.refresh_from_db()

    for user in (carol, admin_user):
        assert not permissions.can_edit_agreement(user, agreement)
        assert not permissions.can_manage_agreement(user, agreement)
        assert permissions.can_run_workflow(user, agreement)


def test_a_running_consultations_deadline_moves_but_not_into_the_past(agreement, carol, alice):
    with pytest.raises(ValidationError, match="Only an agreement in consultation"):
        consultation_deadline_change(agreement=agreement, by=carol, deadline=tomorrow())
    consulted(agreement, carol)
    later = tomorrow() + datetime.timedelta(days=13)

    with pytest.raises(PermissionDenied):
        consultation_deadline_change(agreement=agreement, by=alice, deadline=later)
    with pytest.raises(ValidationError, match="cannot be in the past"):
        consultation_deadline_change(
            agreement=agreement, by=carol, deadline=timezone.localdate() - datetime.timedelta(1)
        )
    moved = consultation_deadline_change(agreement=agreement, by=carol, deadline=later)

    assert moved.consultation_deadline == later
    assert agreement.events.filter(kind=Event.Kind.DEADLINE_CHANGED, subject=f"comments by {later:%-d.%-m.%Y}").exists()
