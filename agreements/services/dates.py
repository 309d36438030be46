"""What the calendar does to agreements, once a day (``agreements.tasks.daily_dates``, or
``manage.py daily_dates`` from cron): a signed agreement enters into force on its start date, one
in force expires after its end date, and its organisers (``permissions.organisers_of``) are
reminded of an end, a notice period or a review within six months, once per agreement, reason and
date.

Running it twice on a day changes nothing the second time.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements import permissions
from agreements.models import Agreement, CountyNegotiation, Reminder
from agreements.services import notifications, signing, workflow
from agreements.validity import due_dates, followed_agreements
from regions.models import WellbeingCounty
from users.models import User


@dataclass
class DailyReport:
    into_force: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    reminders: list[tuple[int, str, str]] = field(default_factory=list)  # (agreement, reason, date)
    refused: list[str] = field(default_factory=list)  # moves a precondition refused, with the reason

    def as_dict(self) -> dict:
        return {
            "into_force": self.into_force,
            "expired": self.expired,
            "reminders": self.reminders,
            "refused": self.refused,
        }


@transaction.atomic
def agreement_expire_by_date(*, agreement: Agreement) -> Agreement:
    """An agreement in force whose end date has passed expires; it ended on its end date."""
    return workflow.transition(agreement=agreement, to=Agreement.Status.EXPIRED, by=None, reason=_("end date passed"))


def _remind(due, report: DailyReport) -> None:
    try:
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                agreement=due.agreement, reason=due.reason, on_date=due.day
            )
            if created:
                notifications.notify(
                    agreement=due.agreement,
                    users=notifications.organisers(due.agreement),
                    kind=notifications.Kind.REMINDER,
                    reason=due.reason,
                    on_date=due.day,
                )
    except IntegrityError:  # another run sent it at the same moment
        return
    if created:
        report.reminders.append((due.agreement.pk, due.reason, due.day.isoformat()))


def daily_dates(*, today: datetime.date) -> DailyReport:
    """Moves the statuses that ``today`` moves and sends the reminders due; see the module's docstring."""
    report = DailyReport()
    # The timeline's entries are written in the portal's first language.
    with translation.override(settings.LANGUAGE_CODE):
        for agreement in Agreement.objects.filter(status=Agreement.Status.SIGNED, valid_from__lte=today):
            try:
                signing.enter_into_force_if_due(agreement, today)
            except ValidationError as error:
                report.refused.append(f"{agreement.pk}: {' '.join(error.messages)}")
            else:
                report.into_force.append(agreement.pk)
        for agreement in Agreement.objects.filter(status=Agreement.Status.IN_FORCE, valid_until__lt=today):
            try:
                agreement_expire_by_date(agreement=agreement)
            except ValidationError as error:
                report.refused.append(f"{agreement.pk}: {' '.join(error.messages)}")
            else:
                report.expired.append(agreement.pk)
        for agreement in followed_agreements().order_by("pk"):
            for due in due_dates(agreement, today):
                _remind(due, report)
    return report


@transaction.atomic
def county_negotiation_record(
    *, county: WellbeingCounty, by: User, held_on: datetime.date, note: str = ""
) -> CountyNegotiation:
    """Records the county's statutory negotiation with its municipalities (611/2021 §14)."""
    if not permissions.can_record_county_negotiation(by, county):
        raise PermissionDenied
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The negotiation cannot be recorded before it is held.")})
    return CountyNegotiation.objects.create(county=county, held_on=held_on, note=note.strip(), recorded_by=by)
