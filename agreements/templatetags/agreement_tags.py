from decimal import Decimal

from django import template

from yhdyspinta.numbers import format_decimal, format_money

register = template.Library()


@register.filter
def number(value: Decimal | None) -> str:
    """A decimal without trailing zeros, in the active language's format (7,5 in Finnish)."""
    if value is None:
        return ""
    return format_decimal(value)


@register.filter
def money(value: Decimal | None) -> str:
    """Euros to the cent with thousands grouped, in the active language's format (12 000,50 in Finnish)."""
    if value is None:
        return ""
    return format_money(value)
