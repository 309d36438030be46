import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BUSINESS_ID = re.compile(r"^(\d{7})-(\d)$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def validate_business_id(value: str) -> None:
    """A Finnish business ID (Y-tunnus): seven digits, a hyphen and a modulus-11 check digit."""
    match = _BUSINESS_ID.match(value)
    if not match:
        raise ValidationError(_("Enter a business ID in the form 1234567-8."), code="format")
    remainder = sum(int(d) * w for d, w in zip(match.group(1), _WEIGHTS, strict=True)) % 11
    if remainder == 1 or str(0 if remainder == 0 else 11 - remainder) != match.group(2):
        raise ValidationError(_("The check digit of this business ID is wrong."), code="checksum")
