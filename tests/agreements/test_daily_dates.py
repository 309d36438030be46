"""The daily date task: dates move statuses (signed → in force, in force → expired) and remind the
organising county's coordinators of an end, a notice period or a review within six months, once.
The coordinator's home page lists the same dates, and the counties that have not negotiated with
their municipalities in this council term.

Carol coordinates Pirkanmaa; Alice is an official of Tampere, a party to its agreements.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, CountyNegotiation, Event, Notification, Reminder
from agreements.services.dates import daily_dates
from agreements.validity import add_months, due_dates
from tests.agreements.factories import start_strategic

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def people(alice, carol):
    for user in (alice, carol):
        user.email = f"{user.username}@example.fi"
        user.save()
    return alice, carol


def signed(**dates) -> Agreement:
    agreement = start_strategic()
    Agreement.objects.filter(pk=agreement.pk).update(
        status=Agreement.Status.SIGNED, signed_at=timezone.make_aware(datetime.datetime(2026, 2, 20, 10)), **dates
    )
    agreement.refresh_from_db()
    return agreement


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 8, 31), -6, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 5, 31), -3, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 15), 3, datetime.date(2027, 2, 15)),
    ],
)
def test_months_are_counted_to_the_same_day_or_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_a_signed_agreement_enters_into_force_on_its_start_date_and_its_parties_are_told(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = signed(valid_from=datetime.date(2026, 3, 1), valid_until=datetime.date(2029, 12, 31))
    later = signed(valid_from=datetime.date(2026, 4, 1), valid_until=datetime.date(2029, 12, 31))

    with django_capture_on_commit_callbacks(execute=True):
        report = daily_dates(today=TODAY)

    agreement.refresh_from_db()
    later.refresh_from_db()
    assert report.into_force == [agreement.pk]
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.in_force_from == datetime.date(2026, 3, 1)
    assert later.status == Agreement.Status.SIGNED
    assert agreement.events.filter(kind=Event.Kind.STATUS_CHANGED, actor__isnull=True).exists()
    told = {mail.to[0]: mail for mail in mailoutbox}
    assert set(told) == {"alice@example.fi", "carol@example.fi"}
    assert "1.3.2026" in told["alice@example.fi"].body


def test_an_agreement_signed_after_its_start_date_is_in_force_from_its_signing(people):
    agreement = signed(valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2029, 12, 31))

    daily_dates(today=TODAY)

    agreement.refresh_from_db()
    assert agreement.in_force_from == datetime.date(2026, 2, 20)


def test_an_agreement_in_force_expires_after_its_end_date(people):
    agreement = signed(valid_from=datetime.date(2022, 1, 1), valid_until=datetime.date(2026, 3, 1))
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.IN_FORCE)
    last_day = signed(valid_from=datetime.date(2022, 1, 1), valid_until=TODAY)
    Agreement.objects.filter(pk=last_day.pk).update(status=Agreement.Status.IN_FORCE)

    report = daily_dates(today=TODAY)

    agreement.refresh_from_db()
    last_day.refresh_from_db()
    assert report.expired == [agreement.pk]
    assert agreement.status == Agreement.Status.EXPIRED
    assert agreement.ended_on == datetime.date(2026, 3, 1)
    assert last_day.status == Agreement.Status.IN_FORCE, "in force through its last day"


def test_coordinators_are_reminded_once_per_agreement_reason_and_date(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    alice, carol = people
    agreement = signed(
        valid_from=datetime.date(2022, 1, 1),
        valid_until=datetime.date(2026, 8, 31),
        notice_months=6,
        review_due=datetime.date(2026, 6, 1),
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.IN_FORCE)
    far = signed(valid_from=datetime.date(2022, 1, 1), valid_until=datetime.date(2029, 12, 31), notice_months=6)
    Agreement.objects.filter(pk=far.pk).update(status=Agreement.Status.IN_FORCE)

    with django_capture_on_commit_callbacks(execute=True):
        first = daily_dates(today=TODAY)
        second = daily_dates(today=TODAY + datetime.timedelta(days=1))

    # The notice period started on 28.2., before today: too late to remind of it.
    assert sorted(first.reminders) == [(agreement.pk, "expires", "2026-08-31"), (agreement.pk, "review", "2026-06-01")]
    assert second.reminders == []
    assert {mail.to[0] for mail in mailoutbox} == {"carol@example.fi"}
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(user=alice).count() == 0
    # The dates are the agreement's terms, frozen with its text: a changed date comes with a new
    # edition, which is an agreement of its own and is reminded of its own dates.


def test_the_notice_period_is_reminded_of_before_it_starts(people):
    agreement = signed(valid_from=datetime.date(2022, 1, 1), valid_until=datetime.date(2027, 2, 28), notice_months=6)

    assert [(d.reason, d.day) for d in due_dates(agreement, TODAY)] == [
        (Reminder.Reason.NOTICE, datetime.date(2026, 8, 28))
    ]


def test_the_command_does_the_same_and_a_second_run_changes_nothing(people):
    agreement = signed(valid_from=datetime.date(2026, 3, 1), valid_until=datetime.date(2026, 8, 31))
    out = StringIO()

    call_command("daily_dates", "--on", TODAY.isoformat(), stdout=out)
    call_command("daily_dates", "--on", TODAY.isoformat(), stdout=out)

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE
    assert out.getvalue().splitlines() == [
        "2026-03-02: 1 into force, 0 expired, 1 reminders sent",
        "2026-03-02: 0 into force, 0 expired, 0 reminders sent",
    ]
    assert Event.objects.filter(agreement=agreement, kind=Event.Kind.STATUS_CHANGED).count() == 1


# --- The coordinator's home page -------------------------------------------------------------------


def home_text(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()


def test_the_coordinators_home_lists_the_dates_within_six_months(client, people):
    alice, carol = people
    today = timezone.localdate()
    agreement = signed(
        valid_from=today - datetime.timedelta(days=400),
        valid_until=add_months(today, 2),
        review_due=today,
        title="Päättyvä sopimus",
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.IN_FORCE)

    html = home_text(client, carol)

    assert "Dates within six months" in html
    assert "Päättyvä sopimus" in html
    assert "The agreement expires" in html
    assert "review is due" in html
    assert 'id="home-dates"' not in home_text(client, alice), "only for a county's coordinator"


def test_a_county_that_has_not_negotiated_this_term_is_listed_until_a_negotiation_is_recorded(client, people):
    alice, carol = people
    start_strategic()  # a draft does not show that the county negotiated

    assert "Pirkanmaa" in home_text(client, carol).split('id="home-dates"', 1)[1].split("</section>", 1)[0]
    page = reverse("agreements:county_negotiations", args=["08"])
    response = client.post(page, {"held_on": "12.2.2026", "note": "Valtuustokauden neuvottelu"})
    assert response.status_code == 302

    negotiation = CountyNegotiation.objects.get()
    assert (negotiation.held_on, negotiation.recorded_by) == (datetime.date(2026, 2, 12), carol)
    section = home_text(client, carol).split('id="home-dates"', 1)[1].split("</section>", 1)[0]
    assert "has no record of negotiating" not in section
    assert "Valtuustokauden neuvottelu" in client.get(page).content.decode()


def test_only_the_countys_coordinators_record_its_negotiations(client, alice, dave):
    page = reverse("agreements:county_negotiations", args=["08"])
    client.force_login(alice)

    assert client.post(page, {"held_on": "12.2.2026"}).status_code == 403
    assert not CountyNegotiation.objects.exists()


def test_a_negotiation_is_not_recorded_for_a_day_still_to_come(client, carol):
    client.force_login(carol)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("agreements:county_negotiations", args=["08"]),
        {"held_on": f"{tomorrow.day}.{tomorrow.month}.{tomorrow.year}"},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert "cannot be recorded before it is held" in response.content.decode()


def test_beat_runs_the_daily_task_which_does_the_same(people, settings):
    from agreements.tasks import daily_dates as task
    from yhdyspinta.celery import app

    agreement = signed(valid_from=datetime.date(2026, 3, 1), valid_until=datetime.date(2029, 12, 31))
    app.loader.import_default_modules()

    assert settings.CELERY_BEAT_SCHEDULE["daily-dates"]["task"] in app.tasks
    assert task.delay(on=TODAY.isoformat()).get()["into_force"] == [agreement.pk]
