"""The appeal period's end: notified on the 7th day after the minutes are published, then 30 days
for a council's decision or 14 for any other body's; a period ending on a weekend or a holiday
(Midsummer Eve and Christmas Eve included, 150/1930 §5) ends on the next working day."""

import datetime

import holidays
import pytest

from agreements.legal_force import appeal_period_end, notified_on
from agreements.models import Decision

D = datetime.date
COUNCIL, BOARD = Decision.Body.COUNCIL, Decision.Body.BOARD


@pytest.mark.parametrize(
    ("published_on", "body", "ends"),
    [
        # An ordinary weekday: 2.3. + 7 + 30 = Wednesday 8.4.
        (D(2026, 3, 2), COUNCIL, D(2026, 4, 8)),
        (D(2026, 3, 8), Decision.Body.REGIONAL_COUNCIL, D(2026, 4, 14)),
        # A board's rectification request ends on Good Friday 3.4.: past Easter to Tuesday 7.4.
        (D(2026, 3, 13), BOARD, D(2026, 4, 7)),
        # A council's period ends on Midsummer Eve 19.6.: Midsummer Day and Sunday follow, so 22.6.
        (D(2026, 5, 13), COUNCIL, D(2026, 6, 22)),
        # A committee's ends on Christmas Eve: past Christmas and the weekend to Monday 28.12.
        (D(2026, 12, 3), Decision.Body.COMMITTEE, D(2026, 12, 28)),
        # Published on a Saturday: notified on Saturday 10.1. (not moved), 30 days on is Monday 9.2.
        (D(2026, 1, 3), COUNCIL, D(2026, 2, 9)),
        # An office holder's decision ends on a Saturday: the next Monday.
        (D(2026, 1, 3), Decision.Body.OFFICE_HOLDER, D(2026, 1, 26)),
    ],
)
def test_the_appeal_period_ends_on_a_working_day(published_on, body, ends):
    assert appeal_period_end(published_on, body) == ends


def test_only_the_end_of_the_period_moves_not_the_day_of_notification():
    # Notified on Saturday 10.1.2026; moving that to Monday would make the end 11.2.
    assert notified_on(D(2026, 1, 3)) == D(2026, 1, 10)
    assert appeal_period_end(D(2026, 1, 3), COUNCIL) == D(2026, 2, 9)


def test_the_holiday_calendar_keeps_the_eves_on_which_no_period_ends():
    """150/1930 §5 names Midsummer Eve and Christmas Eve; the module relies on holidays.Finland for them."""
    calendar = holidays.Finland(years=[2026, 2027])
    assert D(2026, 6, 19) in calendar  # juhannusaatto
    assert D(2027, 6, 25) in calendar
    assert D(2026, 12, 24) in calendar  # jouluaatto
    assert D(2026, 12, 6) in calendar  # itsenäisyyspäivä
