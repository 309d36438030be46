"""The workflow through its pages: the panel every reader sees, the coordinator's forms with their
errors and refusals, change proposals, editions and the difference between two editions.

Carol coordinates Pirkanmaa, the organiser; Alice is Tampere's official; Dave is Helsinki's, who
sees nothing of Pirkanmaa's agreements.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, ChangeProposal
from agreements.services import comment_add, goal_save, party_remove, section_save
from agreements.services.editions import edition_start
from tests.agreements.workflow_factories import (
    change_proposal,
    consulted,
    frozen,
    in_decision,
    interface_agreement,
    tomorrow,
)

S = Agreement.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client():
    """Pages in English, as the messages are asserted."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def agreement(carol):
    return interface_agreement(carol)


def move(client, agreement, to, **fields):
    return client.post(
        reverse("agreements:workflow_move", args=[agreement.pk, to]), {f"move-{to}-{k}": v for k, v in fields.items()}
    )


def detail(client, agreement) -> str:
    response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_sends_the_agreement_to_consultation_and_every_party_sees_the_deadline(
    agreement, carol, alice, client
):
    client.force_login(carol)
    assert 'action="{}"'.format(reverse("agreements:workflow_move", args=[agreement.pk, "consultation"])) in detail(
        client, agreement
    )

    response = move(client, agreement, "consultation", deadline=f"{tomorrow():%-d.%-m.%Y}", reason="Lausunnoille")

    assert response.status_code == 302
    client.force_login(alice)
    page = detail(client, agreement)
    assert "In consultation" in page
    assert f"{tomorrow():%-d.%-m.%Y}" in page
    assert "workflow_move" not in page and "/workflow/" not in page  # Alice gets no forms


def test_a_missing_deadline_is_shown_next_to_its_field_and_a_past_one_is_refused(agreement, carol, client):
    client.force_login(carol)

    missing = move(client, agreement, "consultation", deadline="")
    past = move(
        client, agreement, "consultation", deadline=f"{timezone.localdate() - datetime.timedelta(days=3):%-d.%-m.%Y}"
    )

    assert missing.status_code == 400
    assert b"field--error" in missing.content
    assert past.status_code == 400
    assert b"The deadline for comments cannot be in the past." in past.content
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT


def test_freezing_with_open_discussions_asks_for_the_confirmation(agreement, carol, alice, client):
    comment_add(section=agreement.sections.get(key="2"), text="Kysymys", by=alice)
    consulted(agreement, carol)
    client.force_login(carol)

    refused = move(client, agreement, "negotiated")
    confirmed = move(client, agreement, "negotiated", confirm_open_threads="on")

    assert b"1 discussion is still open" in refused.content
    assert confirmed.status_code == 302
    agreement.refresh_from_db()
    client.force_login(alice)
    page = detail(client, agreement)
    assert f'<code class="hash">{agreement.text_sha256}</code>' in page
    assert "Frozen with 1 open discussion, confirmed." in page


def test_a_move_not_declared_from_the_status_is_named_on_its_page(agreement, carol, client):
    client.force_login(carol)

    response = client.get(reverse("agreements:workflow_move", args=[agreement.pk, "in_decision"]))

    assert b"An agreement that is draft cannot become in decision." in response.content


def test_only_the_organisers_coordinators_move_it(agreement, alice, dave, client):
    client.force_login(alice)
    assert move(client, agreement, "consultation", deadline=f"{tomorrow():%-d.%-m.%Y}").status_code == 403
    client.force_login(dave)
    assert move(client, agreement, "consultation", deadline=f"{tomorrow():%-d.%-m.%Y}").status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT


def test_a_terminated_agreement_names_its_end_and_the_party_that_gave_notice(agreement, carol, client):
    frozen(agreement, carol)
    Agreement.objects.filter(pk=agreement.pk).update(status=S.IN_FORCE)
    nokia = agreement.parties.get(official_name="Nokia")
    client.force_login(carol)

    without_reason = move(client, agreement, "terminated", ended_on="30.6.2026", termination_notice_by=nokia.pk)
    response = move(
        client, agreement, "terminated", ended_on="30.6.2026", termination_notice_by=nokia.pk, reason="Irtisanottu"
    )

    assert without_reason.status_code == 400 and b"field--error" in without_reason.content
    assert response.status_code == 302
    assert "notice given by Nokia" in detail(client, agreement)


def test_a_rejected_change_proposal_needs_its_reasons(agreement, carol, client):
    in_decision(agreement, carol)
    proposal = change_proposal(agreement)
    client.force_login(carol)
    url = reverse("agreements:change_proposal_resolve", args=[agreement.pk, proposal.pk])

    missing = client.post(url, {"resolve": "reject", "resolution": ""})
    done = client.post(url, {"resolve": "reject", "resolution": "Ei muiden hyväksymä"})

    assert missing.status_code == 400 and b"Give the reasons for rejecting the change." in missing.content
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.REJECTED


def test_an_accepted_change_proposal_leads_to_the_new_edition_which_lists_both(agreement, carol, alice, client):
    in_decision(agreement, carol)
    proposal = change_proposal(agreement)
    client.force_login(carol)

    response = client.post(
        reverse("agreements:change_proposal_resolve", args=[agreement.pk, proposal.pk]),
        {"resolve": "accept", "resolution": "Hyväksytään"},
    )

    new = Agreement.objects.get(previous_edition=agreement)
    assert response.status_code == 302 and response["Location"] == reverse("agreements:detail", args=[new.pk])
    client.force_login(alice)
    page = detail(client, new)
    assert reverse("agreements:detail", args=[agreement.pk]) in page
    assert "Superseded" in page
    assert reverse("agreements:edition_diff", args=[new.pk]) in page


def test_the_editions_diff_shows_text_goals_and_parties_that_changed(agreement, carol, alice, client):
    frozen(agreement, carol)
    new = edition_start(agreement=agreement, by=carol, reason="Päivitys")
    section = new.sections.get(key="2")
    section_save(section=section, text="<p>Tarkoitus laajenee</p>", base_version=section.version, by=carol)
    goal_save(agreement=new, by=carol, title="Asumisen tavoite", theme="housing")
    party_remove(party=new.parties.get(official_name="Nokia"), by=carol)
    client.force_login(alice)

    response = client.get(reverse("agreements:edition_diff", args=[new.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<ins>laajenee</ins>" in page
    assert "Added: Asumisen tavoite" in page
    assert "Removed: Nokia" in page


def test_the_diff_of_an_only_edition_says_so_and_a_foreign_edition_is_not_found(agreement, carol, alice, client):
    other = interface_agreement(carol, "Toinen")
    client.force_login(alice)
    url = reverse("agreements:edition_diff", args=[agreement.pk])

    assert b"only one edition" in client.get(url).content
    assert client.get(url, {"against": other.pk}).status_code == 404


def test_a_coordinator_starts_a_new_edition_from_its_page(agreement, carol, client):
    frozen(agreement, carol)
    client.force_login(carol)

    response = client.post(reverse("agreements:edition_start", args=[agreement.pk]), {"reason": "Uudet tavoitteet"})

    new = Agreement.objects.get(previous_edition=agreement)
    assert response.status_code == 302 and new.status == S.DRAFT
    assert "Edition 2" in detail(client, agreement)


def test_a_coordinator_moves_the_deadline_and_the_parties_see_it(agreement, carol, alice, client):
    consulted(agreement, carol)
    later = tomorrow() + datetime.timedelta(days=7)
    client.force_login(carol)

    response = client.post(
        reverse("agreements:consultation_deadline", args=[agreement.pk]), {"deadline": f"{later:%-d.%-m.%Y}"}
    )

    assert response.status_code == 302
    client.force_login(alice)
    assert f"{later:%-d.%-m.%Y}" in detail(client, agreement)


def test_the_agreements_page_asks_as_many_queries_with_more_editions_and_proposals(agreement, carol, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(subject) -> int:
        with CaptureQueriesContext(connection) as captured:
            detail(client, subject)
        return len(captured)

    in_decision(agreement, carol)
    change_proposal(agreement)
    many = interface_agreement(carol, "Monta")
    in_decision(many, carol)
    for n in range(3):
        change_proposal(many, f"Muutos {n}")
    second = edition_start(agreement=many, by=carol, reason="2")
    frozen(second, carol)
    edition_start(agreement=second, by=carol, reason="3")
    client.force_login(carol)

    assert queries(many) == queries(agreement)
