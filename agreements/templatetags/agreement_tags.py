from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def number(value: Decimal | None) -> str:
    """A decimal without trailing zeros, in the active language's format (7,5 in Finnish)."""
    if value is None:
        return ""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True)
