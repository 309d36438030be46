"""An agreement's dates after signing: when it ends, when its notice period starts, when it is due
for review, and the county's statutory negotiation (611/2021 §14). The rules here are read by the
daily date task (``services.dates``) and by the coordinator's home page, so both say the same."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agreements.models import COUNCIL_TERM, Agreement, CountyNegotiation, Reminder
from agreements.permissions import UserLike
from agreements.selectors import HOME_LIMIT, counties_coordinated_by
from regions.models import WellbeingCounty

REMIND_AHEAD_MONTHS = 6
# The agreements whose dates are followed: signed ones (not yet in force) and those in force.
FOLLOWED_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.IN_FORCE)
# A strategic agreement that got this far in the council term shows that the county negotiated.
NEGOTIATED_STATUSES = tuple(
    s for s in Agreement.Status.values if s not in (Agreement.Status.DRAFT, Agreement.Status.CONSULTATION)
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (earlier when negative), or the month's last day if it has none."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def notice_starts(agreement: Agreement) -> datetime.date | None:
    """The first day of the notice period: the end date less the notice period."""
    if not agreement.notice_months:
        return None
    return add_months(agreement.valid_until, -agreement.notice_months)


@dataclass(frozen=True)
class DueDate:
    agreement: Agreement
    reason: str  # Reminder.Reason
    day: datetime.date

    @property
    def label(self) -> str:
        return Reminder.Reason(self.reason).label


def due_dates(agreement: Agreement, today: datetime.date) -> list[DueDate]:
    """The agreement's dates within ``REMIND_AHEAD_MONTHS`` from ``today``: its end and the start of
    its notice period (from today on), its review (also when overdue)."""
    horizon = add_months(today, REMIND_AHEAD_MONTHS)
    due = []
    if today <= agreement.valid_until <= horizon:
        due.append(DueDate(agreement, Reminder.Reason.EXPIRES, agreement.valid_until))
    notice = notice_starts(agreement)
    if notice is not None and today <= notice <= horizon:
        due.append(DueDate(agreement, Reminder.Reason.NOTICE, notice))
    if agreement.review_due is not None and agreement.review_due <= horizon:
        due.append(DueDate(agreement, Reminder.Reason.REVIEW, agreement.review_due))
    return due


def followed_agreements():
    return Agreement.objects.filter(status__in=FOLLOWED_STATUSES)


def counties_negotiated_in_term():
    """An annotation: the county has a negotiation record or a strategic agreement beyond
    consultation whose validity falls in the current council term (``COUNCIL_TERM``)."""
    start, end = COUNCIL_TERM
    records = CountyNegotiation.objects.filter(county=OuterRef("pk"), held_on__range=(start, end))
    agreements = Agreement.objects.filter(
        county=OuterRef("pk"),
        kind=Agreement.Kind.STRATEGIC,
        status__in=NEGOTIATED_STATUSES,
        valid_from__lte=end,
        valid_until__gte=start,
    )
    return Q(Exists(records)) | Q(Exists(agreements))


@dataclass(frozen=True)
class HomeDates:
    due: list[DueDate]
    more: bool
    counties_without_negotiation: list[WellbeingCounty]
    counties: list[WellbeingCounty]  # the counties the user coordinates
    term: tuple[datetime.date, datetime.date]


def home_dates(*, user: UserLike) -> HomeDates | None:
    """For a county's coordinator: the agreements of their counties whose end, notice period or
    review is within six months, and their counties that have not negotiated with their
    municipalities in this council term. Two queries; None for anyone who coordinates no county."""
    today = timezone.localdate()
    counties = list(counties_coordinated_by(user).annotate(negotiated=counties_negotiated_in_term()).order_by("code"))
    if not counties:
        return None
    agreements = followed_agreements().filter(county__in=counties).select_related("county")
    due = sorted(
        (d for agreement in agreements for d in due_dates(agreement, today)), key=lambda d: (d.day, d.agreement.pk)
    )
    return HomeDates(
        due=due[:HOME_LIMIT],
        more=len(due) > HOME_LIMIT,
        counties_without_negotiation=[c for c in counties if not c.negotiated],
        counties=counties,
        term=COUNCIL_TERM,
    )
