from decimal import Decimal

from django import template

from yhdyspinta.numbers import format_decimal

register = template.Library()


@register.filter
def number(value: Decimal | None) -> str:
    """A decimal without trailing zeros, in the active language's format (7,5 in Finnish)."""
    if value is None:
        return ""
    return format_decimal(value)
