import datetime

from django import template

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int | str:
    """A lockout's length in whole minutes, for the locked-out page."""
    return round(value.total_seconds() / 60) if value else ""
