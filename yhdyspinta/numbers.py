"""Numbers as Finnish, Swedish and English readers write and read them.

`parse_decimal` is the one reading of a typed number (the rule is in its docstring);
`format_decimal` writes a value back in the active language (12,5 in Finnish and Swedish, 12.5 in
English). Forms (`yhdyspinta.forms.DecimalField`) and pages (the `number` template filter) use them.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats

# What people type between groups of thousands: a space, a no-break space (Finnish and Swedish
# formatting, pasted from a page or a spreadsheet), a narrow no-break space, a thin space.
GROUP_SPACES = " \u00a0\u202f\u2009"
MINUS_SIGNS = "-\u2212"  # the hyphen-minus and the typographic minus of Finnish texts

_NUMBER = re.compile(
    rf"(?P<sign>[{MINUS_SIGNS}]?)"
    rf"(?P<whole>[0-9]+|[0-9]{{1,3}}(?:[{GROUP_SPACES}][0-9]{{3}})+)"
    r"(?:(?P<separator>[,.])(?P<fraction>[0-9]+))?"
)


class NumberError(ValueError):
    """A text that is not a number (``code="invalid"``) or could be read as two (``"ambiguous"``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_decimal(text: str) -> Decimal:
    """The number a person typed, whatever the language of the page they typed it in.

    Accepted:
    - the decimal separator is a comma or a full stop, once: ``12,5`` and ``12.5`` are 12.5;
    - thousands may be grouped by spaces (also no-break, narrow and thin spaces) in groups of three:
      ``1 234 567,5``;
    - a leading minus (``-`` or ``−``); spaces around the number.

    Refused as not a number (``invalid``): letters, units and exponents (``12 %``, ``1e3``), both
    separators (``1,234.5``, ``1.234,5``), a separator twice (``12,5,3``, ``1.234.567``), a separator
    without digits on both sides (``12,``, ``,5``), spaces anywhere else than between groups of
    three (``12 34``).

    Refused as **ambiguous** (``ambiguous``): one comma or full stop, followed by exactly three
    digits, after a whole part of one to three digits that does not start with 0 and has no space
    grouping — ``1,234``, ``12.500``, ``-100,000``. An English text means a thousand and more by
    these, a Finnish or a German one a decimal number (or, with ``1.234``, again a thousand); the
    page's language does not settle it, because figures are pasted from sources in any convention.
    Everything else with three decimals is clear: ``0,125`` (nobody groups a zero), ``1234,567``
    and ``1 234,567`` (not a grouping of thousands). The person writes ``1234`` / ``1 234`` for the
    whole number or ``1,2340`` for the decimal one.
    """
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        raise NumberError("invalid")
    whole, separator, fraction = match["whole"], match["separator"], match["fraction"]
    if separator and len(fraction) == 3 and whole.isdigit() and len(whole) <= 3 and not whole.startswith("0"):
        raise NumberError("ambiguous")
    digits = re.sub(f"[{GROUP_SPACES}]", "", whole) + (f".{fraction}" if separator else "")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern lets only digits through
        raise NumberError("invalid") from None
    return -value if match["sign"] else value


def parse_whole_number(text: str) -> int:
    """A whole number as typed: digits, optionally grouped by spaces in threes, a leading minus.

    Any comma or full stop is refused (``invalid``): ``12,5`` is not a whole number, and ``1.000``
    could be one thousand or one.
    """
    if re.search("[,.]", text):
        raise NumberError("invalid")
    return int(parse_decimal(text))


def format_decimal(value: Decimal | int) -> str:
    """A value in the active language's format, without trailing zeros or thousands grouping.

    ``Decimal("12.500")`` is ``12,5`` in Finnish and Swedish and ``12.5`` in English. No grouping,
    so that what a form shows is read back unchanged by `parse_decimal` in every language.
    """
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=False)


def format_money(value: Decimal | int) -> str:
    """A sum of euros to the cent, grouped in thousands as the language does: ``12 000,50`` in
    Finnish and Swedish (a no-break space), ``12,000.50`` in English. For reading, not for forms."""
    return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


def ambiguous_readings(text: str) -> dict[str, str]:
    """For the message on an ambiguous number: how to write it as a whole number or as a decimal."""
    stripped = text.strip()
    return {"value": stripped, "whole": re.sub("[,.]", "", stripped), "decimal": stripped + "0"}
