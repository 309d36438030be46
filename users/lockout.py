"""django-axes' database handler with two limits: one username from one address, and one address.

Axes compares the largest failure count of its lockout parameters with one limit. Here the pair
(username, address) is locked after ``AXES_FAILURE_LIMIT`` failures, as before, and the address
alone after the higher ``LOGIN_ADDRESS_FAILURE_LIMIT``, so that one password tried against many
usernames is stopped too, while the people of an office behind one address may each mistype theirs.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LoginLockoutHandler(AxesDatabaseHandler):
    """Reads ``AXES_LOCKOUT_PARAMETERS`` as [the pair, the address], in that order."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """The pair's failures, or the pair's limit when the address has reached its own."""
        pair, address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Read by registration/locked_out.html, which then names the address, not the username.
        request.axes_address_locked_out = address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if request.axes_address_locked_out:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful login clears that username's failures from the address, not the address's
        others: logging in to one's own account must not reset a count of guesses at other accounts."""
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count
