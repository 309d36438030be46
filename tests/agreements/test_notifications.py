"""Notifications: the parties' people are told of the workflow's moves on their home page and by
e-mail, sent from a task queued when the move commits, in their language; each kind can be
turned off.

Pirkanmaa's strategic agreement has Tampere (Alice; Sam signs for it), Nokia (Bob) and the county
(Carol, its coordinator) among its parties. Dave's Helsinki is a party to none of it.
"""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse

from agreements.models import Agreement, Notification, NotificationOptOut, Signatory
from agreements.services import workflow
from agreements.services.notifications import notification_send
from tests.agreements.factories import start_strategic
from tests.agreements.signing import decide, interface_agreement, to_decision


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.fi"
        user.save()


@pytest.fixture
def agreement(alice, bob, carol, dave):
    with_email(alice, bob, carol, dave)
    return start_strategic()


DEADLINE = datetime.date.today() + datetime.timedelta(days=45)


def open_consultation(agreement, by):
    return workflow.transition(agreement=agreement, to=Agreement.Status.CONSULTATION, by=by, deadline=DEADLINE)


def test_opening_the_consultation_mails_the_parties_people_once_it_commits(
    agreement, alice, bob, carol, dave, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        open_consultation(agreement, carol)
        assert mailoutbox == [], "nothing is sent before the move commits"
    for callback in queued:
        callback()

    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["alice@example.fi", "bob@example.fi"], "Carol made the move; Dave is no party"
    mail = next(m for m in mailoutbox if m.to == ["bob@example.fi"])
    assert agreement.title in mail.subject
    assert f"{DEADLINE.day}.{DEADLINE.month}.{DEADLINE.year}" in mail.body
    assert f"/agreements/{agreement.pk}/" in mail.body
    assert Notification.objects.filter(agreement=agreement, emailed_at__isnull=False).count() == 2


def test_a_move_that_is_rolled_back_tells_no_one(agreement, carol, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        open_consultation(agreement, carol)
        raise RuntimeError("something later failed")

    assert queued == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_a_kind_turned_off_is_not_mailed_but_shown_on_the_home_page(
    client, agreement, bob, carol, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    all_but_consultation = [k for k in NotificationOptOut.Kind.values if k != "consultation"]
    response = client.post(reverse("users:notifications"), {"kinds": all_but_consultation, "language": ""})
    assert response.status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        open_consultation(agreement, carol)

    assert "bob@example.fi" not in [address for mail in mailoutbox for address in mail.to]
    home = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    assert "Consultation opened" in home
    assert f"comments until {DEADLINE.day}.{DEADLINE.month}.{DEADLINE.year}" in home
    settings_page = client.get(reverse("users:notifications")).content.decode()
    assert list(NotificationOptOut.objects.filter(user=bob).values_list("kind", flat=True)) == ["consultation"]
    assert not re.search(r'value="consultation"[^>]*checked', settings_page)
    assert re.search(r'value="in_decision"[^>]*checked', settings_page)


def test_the_mail_is_in_the_users_language_and_finnish_when_unknown(
    agreement, alice, bob, carol, mailoutbox, django_capture_on_commit_callbacks
):
    alice.language = "sv"
    alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        open_consultation(agreement, carol)

    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert subjects["alice@example.fi"].startswith("Remiss öppnad")
    assert subjects["bob@example.fi"].startswith("Lausuntokierros avattu")


def test_a_notice_is_mailed_once_however_often_the_task_runs(
    agreement, carol, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_consultation(agreement, carol)
    sent = len(mailoutbox)

    again = [notification_send(notification_id=n.pk) for n in Notification.objects.all()]

    assert again == [False] * len(again)
    assert len(mailoutbox) == sent


def test_only_the_signatories_who_have_not_signed_are_asked_to_sign(
    agreement, alice, sam, carol, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(sam)
    agreement = to_decision(interface_agreement(carol), carol)
    for party in agreement.parties.all():
        decide(party)
    tampere = agreement.parties.get(organisation__municipality__code="837")
    Signatory.objects.create(party=tampere, name="Sam Signer", title="Pormestari", authority="Hallintosääntö", user=sam)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(agreement=agreement, to=Agreement.Status.SIGNING, by=carol)

    assert [mail.to for mail in mailoutbox] == [["sam@example.fi"]]
    mailed = Notification.objects.filter(agreement=agreement, emailed_at__isnull=False)
    assert list(mailed.values_list("kind", flat=True)) == [NotificationOptOut.Kind.SIGNATURE]


def test_a_user_without_a_role_sees_no_notices_section(client, admin_user):
    client.force_login(admin_user)

    assert 'id="home-notifications"' not in client.get(reverse("home")).content.decode()
