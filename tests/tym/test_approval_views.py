"""The approval before freezing on the agreement's page and the approvers' queues on their home pages,
with a TYM agreement (the first kind with approval steps): the drafters submit once every check is
met, the county's coordinator and then Kela's representative approve or return it with comments.
"""

import html as markup
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Approval, Comment, Notification, NotificationOptOut
from agreements.services import workflow
from agreements.services.approvals import approval_record
from tests.tym.builders import complete, group_with_members, tym_agreement

pytestmark = pytest.mark.postgres
S = Agreement.Status


@pytest.fixture
def group(who):
    return group_with_members(who["coordinator"])


@pytest.fixture
def agreement(who, group):
    return complete(tym_agreement(group, who["drafter"]))


@pytest.fixture
def submitted(agreement, who):
    return workflow.transition(agreement=agreement, to=S.SUBMITTED, by=who["drafter"])


def page(client, user, name="agreements:detail", *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args), headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return markup.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])))


def approve(client, user, agreement, **data):
    client.force_login(user)
    payload = {f"approval-{k}": v for k, v in {"outcome": "approved", **data}.items()}
    return client.post(reverse("agreements:approval", args=[agreement.pk]), payload, headers={"accept-language": "en"})


def submit_url(agreement) -> str:
    return reverse("agreements:workflow_move", args=[agreement.pk, S.SUBMITTED])


def approval_url(agreement) -> str:
    return reverse("agreements:approval", args=[agreement.pk])


# --- The overview: checks, submission, steps ------------------------------------------------------


def test_the_drafter_sees_every_check_met_and_is_offered_the_submission(client, who, agreement):
    html = page(client, who["drafter"], "agreements:detail", agreement.pk)
    text = text_of(html)

    assert "Checks before submission for approval" in text
    assert "Met: Each party's staff (decree §3, 2)" in text and "Not met" not in text
    assert f'action="{submit_url(agreement)}"' in html and "Submit for approval" in text


def test_a_failing_check_is_shown_with_its_problem_and_the_submission_is_not_offered(client, who, agreement):
    agreement.tym_staff.all().delete()

    html = page(client, who["drafter"], "agreements:detail", agreement.pk)
    text = text_of(html)

    assert re.search(r"Not met: Each party's staff \(decree §3, 2\) – [^–]*No staff entered", text)
    assert "The agreement can be submitted for approval once every check is met." in text
    assert f'action="{submit_url(agreement)}"' not in html


def test_the_checks_are_shown_to_every_reader_but_only_the_drafters_may_submit(client, who, agreement):
    html = page(client, who["coordinator"], "agreements:detail", agreement.pk)

    assert "Checks before submission for approval" in html
    assert f'action="{submit_url(agreement)}"' not in html and f'action="{approval_url(agreement)}"' not in html


def test_the_coordinator_approves_from_the_overview_and_kelas_step_comes_next(client, who, submitted):
    html = page(client, who["coordinator"], "agreements:detail", submitted.pk)
    text = text_of(html)
    assert f'action="{approval_url(submitted)}"' in html
    assert "The county's coordinator: awaiting approval" in text
    assert "Kela's representative: after the previous step" in text
    assert "Checks before submission for approval" in text  # still shown while it awaits approval

    response = approve(client, who["coordinator"], submitted)

    assert response.status_code == 302 and response.url == reverse("agreements:detail", args=[submitted.pk])
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    text = text_of(page(client, who["coordinator"], "agreements:detail", submitted.pk))
    assert "Your approval was recorded." in text
    assert re.search(r"The county's coordinator: approved by carol \(Pirkanmaan hyvinvointialue\) \d", text)
    assert "Kela's representative: awaiting approval" in text
    # The history names who approved for which party.
    assert re.search(r"Approved – The county's coordinator, Pirkanmaan hyvinvointialue – carol", text)
    # Now it is Kela's turn: the coordinator's form is gone, Kela's representative has it.
    assert f'action="{approval_url(submitted)}"' not in page(
        client, who["coordinator"], "agreements:detail", submitted.pk
    )
    assert f'action="{approval_url(submitted)}"' in page(client, who["kela"], "agreements:detail", submitted.pk)


def test_kela_approves_only_after_the_county_and_its_approval_freezes_the_text(client, who, submitted):
    assert approve(client, who["kela"], submitted).status_code == 403
    assert approve(client, who["coordinator"], submitted).status_code == 302

    assert approve(client, who["kela"], submitted).status_code == 302

    submitted.refresh_from_db()
    assert submitted.status == S.NEGOTIATED and submitted.text_sha256
    text = text_of(page(client, who["drafter"], "agreements:detail", submitted.pk))
    assert "The text is frozen." in text
    assert "Checks before submission for approval" not in text  # shown while the text is open only
    assert text.count("Approved – ") == 2


def test_the_drafters_are_not_offered_to_freeze_a_submitted_agreement_themselves(client, who, submitted):
    html = page(client, who["drafter"], "agreements:detail", submitted.pk)

    assert reverse("agreements:workflow_move", args=[submitted.pk, S.NEGOTIATED]) not in html
    assert f'action="{approval_url(submitted)}"' not in html
    # They may take it back to drafting (with a reason) while it waits.
    assert reverse("agreements:workflow_move", args=[submitted.pk, S.DRAFT]) in html


# --- Returning with comments ----------------------------------------------------------------------


def test_a_return_without_comments_is_refused_next_to_the_comments_field(client, who, submitted):
    response = approve(client, who["coordinator"], submitted, outcome="returned", comments="  ", section_key="5")

    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<textarea[^>]*name="approval-comments"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert re.search(r'aria-describedby="[^"]*\bid_approval-comments_error\b', field)
    error = r'id="id_approval-comments_error"[^>]*>\s*(<[^>]+>\s*)*Write what the drafters should change\.'
    assert re.search(error, html)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and not Approval.objects.exists()


def test_a_return_sends_it_back_with_the_comments_in_a_discussion_the_drafters_answer(client, who, submitted):
    comments = "Henkilöstötaulukosta puuttuu palvelupisteen sijainti."

    response = approve(client, who["coordinator"], submitted, outcome="returned", comments=comments, section_key="5")

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.DRAFT
    thread = Comment.objects.get(section__agreement=submitted, parent=None)
    assert thread.section.key == "5" and thread.text == comments and thread.author == who["coordinator"]
    html = page(client, who["drafter"], "agreements:detail", submitted.pk)
    text = text_of(html)
    assert "Returned with comments – The county's coordinator, Pirkanmaan hyvinvointialue – carol" in text
    assert comments in text
    link = reverse("agreements:section", args=[submitted.pk, "5"]) + f"#comment-{thread.pk}"
    assert f'href="{link}"' in html
    # The drafter answers in the discussion, with the comment form of every section.
    client.force_login(who["drafter"])
    answer = client.post(
        reverse("agreements:comment_add", args=[submitted.pk, "5"]),
        {"text": "Sijainti lisätty.", "parent": thread.pk},
    )
    assert answer.status_code == 302
    assert thread.replies.get().text == "Sijainti lisätty."
    # And, the drafting done, submits it again: the county approves anew.
    assert f'action="{submit_url(submitted)}"' in page(client, who["drafter"], "agreements:detail", submitted.pk)


# --- Who may ----------------------------------------------------------------------------------------


def test_another_countys_coordinator_gets_404_and_a_county_official_403(client, who, submitted):
    assert approve(client, who["other_coordinator"], submitted).status_code == 404
    assert approve(client, who["municipal"], submitted).status_code == 404
    for name in ("county_official", "drafter"):
        assert approve(client, who[name], submitted).status_code == 403
        assert f'action="{approval_url(submitted)}"' not in page(client, who[name], "agreements:detail", submitted.pk)
    assert not Approval.objects.exists()


def test_nobody_approves_a_draft(client, who, agreement):
    assert approve(client, who["coordinator"], agreement).status_code == 403


# --- The queues on the home pages ---------------------------------------------------------------------


def queue(client, user) -> str | None:
    """The text of the user's queue on their home page, or None when the page has no queue."""
    client.force_login(user)
    html = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    found = re.search(r'<section[^>]*aria-labelledby="home-approvals".*?</section>', html, re.S)
    return markup.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))) if found else None


def test_the_county_coordinator_has_every_submitted_agreement_of_the_county_in_the_queue(client, who, submitted):
    other_group = group_with_members(who["coordinator"], areas=("21",), name="Läntinen Pirkanmaa")
    other = complete(tym_agreement(other_group, who["other_drafter"], title="Läntisen Pirkanmaan TYM"))
    workflow.transition(agreement=other, to=S.SUBMITTED, by=who["other_drafter"])
    still_draft = complete(tym_agreement(other_group, who["other_drafter"], title="Luonnos vielä"))

    text = queue(client, who["coordinator"])

    assert "Awaiting your approval" in text
    assert submitted.title in text and "Läntisen Pirkanmaan TYM" in text and still_draft.title not in text
    # The county, and the parties.
    assert "Pirkanmaa" in text and "Tampereen seutu, Pirkanmaan hyvinvointialue, Kansaneläkelaitos (Kela)" in text
    assert text.count("The county's coordinator") == 2
    # Kela's turn comes after the county's; its queue is empty and says what comes.
    assert "Nothing awaits your approval now." in queue(client, who["kela"])


def test_after_the_countys_approval_the_agreement_moves_to_kelas_queue(client, who, submitted):
    approval_record(agreement=submitted, outcome=Approval.Outcome.APPROVED, by=who["coordinator"])

    assert "Nothing awaits your approval now." in queue(client, who["coordinator"])
    kela = queue(client, who["kela"])
    assert submitted.title in kela and "Kela's representative" in kela


def test_those_who_approve_nothing_have_no_queue(client, who, submitted):
    for name in ("drafter", "county_official", "other_coordinator", "municipal"):
        assert queue(client, who[name]) is None, name


def test_the_home_page_runs_the_same_queries_for_one_or_many_submitted_agreements(
    client, who, group, submitted, django_assert_num_queries
):
    queue(client, who["coordinator"])  # the first login's own queries (the session, the content types)
    with CaptureQueriesContext(connection) as few:
        assert submitted.title in queue(client, who["coordinator"])
    other_group = group_with_members(who["coordinator"], areas=("21",), name="Läntinen Pirkanmaa")
    for n in range(3):
        agreement = complete(
            tym_agreement(
                group if n % 2 else other_group, who["drafter" if n % 2 else "other_drafter"], title=f"Lisä {n}"
            )
        )
        workflow.transition(agreement=agreement, to=S.SUBMITTED, by=who["drafter" if n % 2 else "other_drafter"])

    with django_assert_num_queries(len(few.captured_queries)):
        text = queue(client, who["coordinator"])
    assert all(f"Lisä {n}" in text for n in range(3))


# --- Notifications ------------------------------------------------------------------------------------


def notified(user, kind) -> bool:
    return Notification.objects.filter(user=user, kind=kind).exists()


def test_the_approvers_are_told_in_turn_and_the_organisers_of_a_return(who, submitted):
    Kind = NotificationOptOut.Kind
    assert notified(who["coordinator"], Kind.APPROVAL) and not notified(who["kela"], Kind.APPROVAL)
    assert not notified(who["county_official"], Kind.APPROVAL)  # reads, does not approve

    approval_record(agreement=submitted, outcome=Approval.Outcome.APPROVED, by=who["coordinator"])
    assert notified(who["kela"], Kind.APPROVAL)

    approval_record(agreement=submitted, outcome=Approval.Outcome.RETURNED, by=who["kela"], comments="Korjatkaa.")
    assert notified(who["drafter"], Kind.RETURNED)
    assert not notified(who["kela"], Kind.RETURNED) and not notified(who["coordinator"], Kind.RETURNED)
