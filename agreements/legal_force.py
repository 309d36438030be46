"""When a party's decision can become legally final (*lainvoimainen*): the appeal period's end.

The minutes are published online; a member of the public counts as notified on the 7th day after
publication (kuntalaki 410/2015 §140; 611/2021 §145 for counties). The appeal period then runs 30
days for a council's decision (municipal appeal) or 14 days for any other body's or an office
holder's (rectification request, §134). A period whose last day is a Saturday, a Sunday or a
public holiday ends on the next working day (laki säädettyjen määräaikain laskemisesta 150/1930
§5). Only the end of the period moves: the day of notification is a fixed count from publication,
whatever weekday it falls on.

The holidays come from the maintained ``holidays`` calendar (``holidays.Finland``). Law 150/1930
§5 names, besides the public holidays, Midsummer Eve (*juhannusaatto*) and Christmas Eve
(*jouluaatto*) as days on which a period cannot end; ``holidays.Finland`` lists both among its
public holidays, and ``tests/agreements/test_legal_force.py`` holds it to that.
"""

import datetime
import functools

import holidays

from agreements.models import Decision

NOTIFIED_AFTER_DAYS = 7
APPEAL_DAYS_COUNCIL = 30  # municipal appeal (kunnallisvalitus)
APPEAL_DAYS_OTHER = 14  # rectification request (oikaisuvaatimus)


@functools.cache
def _finnish_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Finland(years=year))


def is_working_day(day: datetime.date) -> bool:
    """Not a Saturday, a Sunday or a day on which, by 150/1930 §5, a period cannot end."""
    return day.weekday() < 5 and day not in _finnish_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def notified_on(published_on: datetime.date) -> datetime.date:
    """The day a member of the public counts as notified: the 7th day after publication."""
    return published_on + datetime.timedelta(days=NOTIFIED_AFTER_DAYS)


def appeal_days(body: str) -> int:
    return APPEAL_DAYS_COUNCIL if body in Decision.COUNCILS else APPEAL_DAYS_OTHER


def appeal_period_end(published_on: datetime.date, body: str) -> datetime.date:
    """The last day to appeal against (or ask to rectify) a decision of ``body`` whose minutes were
    published online on ``published_on``. The day of notification is not counted (150/1930 §2)."""
    last = notified_on(published_on) + datetime.timedelta(days=appeal_days(body))
    return next_working_day(last)
