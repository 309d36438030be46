"""Numbers and dates as Finnish, Swedish and English users type and read them (yhdyspinta.forms)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from yhdyspinta.forms import CheckboxList, DateField, DecimalField, WholeNumberField
from yhdyspinta.numbers import NumberError, format_decimal, parse_decimal

LANGUAGES = ["fi", "sv", "en"]

ACCEPTED = [
    ("12,5", "12.5"),
    ("12.5", "12.5"),
    ("  12,5 ", "12.5"),
    ("7", "7"),
    ("-3,25", "-3.25"),
    ("\u22123,25", "-3.25"),  # the typographic minus
    ("1 234,5", "1234.5"),
    ("1\u00a0234,5", "1234.5"),  # as Finnish pages and spreadsheets format it
    ("1\u202f234.5", "1234.5"),
    ("12 345 678", "12345678"),
    ("1234,5", "1234.5"),
    ("0,125", "0.125"),  # nobody groups thousands after a zero
    ("1234,567", "1234.567"),  # not a grouping of thousands
    ("1 234,567", "1234.567"),  # the space groups the thousands, so the comma is the decimal one
    ("1,23", "1.23"),
    ("1,2345", "1.2345"),
    ("1,2340", "1.2340"),  # how to write the decimal 1,234
]

INVALID = [
    "",
    "abc",
    "12,5 %",
    "€12",
    "1e3",
    "NaN",
    "Infinity",
    "1,234.5",
    "1.234,5",
    "12,5,3",
    "1.234.567",
    "1,234,567",
    "12,",
    ",5",
    "12 34",
    "1 2345",
    "1 234 ,5",
    "12,5 0",
    "--5",
    "1'234",
]

AMBIGUOUS = ["1,234", "1.234", "12,500", "999.000", "-100,000", "\u22121,000"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("typed", "value"), ACCEPTED)
def test_a_number_is_read_the_same_in_every_language(language, typed, value):
    with translation.override(language):
        assert parse_decimal(typed) == Decimal(value)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", INVALID)
def test_what_is_not_a_number_is_refused(language, typed):
    with translation.override(language), pytest.raises(NumberError) as refused:
        parse_decimal(typed)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", AMBIGUOUS)
def test_a_number_that_reads_as_a_thousand_or_a_decimal_is_refused_as_ambiguous(language, typed):
    with translation.override(language), pytest.raises(NumberError) as refused:
        parse_decimal(typed)
    assert refused.value.code == "ambiguous"


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fi", ["12,5", "7", "-0,125", "1234,5"]),
        ("sv", ["12,5", "7", "-0,125", "1234,5"]),
        ("en", ["12.5", "7", "-0.125", "1234.5"]),
    ],
)
def test_a_value_is_shown_in_the_readers_format_and_reads_back_unchanged(language, shown):
    values = [Decimal("12.500"), Decimal("7.000"), Decimal("-0.125"), Decimal("1234.5")]

    with translation.override(language):
        assert [format_decimal(v) for v in values] == shown
        assert [parse_decimal(text) for text in shown] == values


def field() -> DecimalField:
    return DecimalField(max_digits=14, decimal_places=3, required=False)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_decimal_field_takes_a_comma_and_a_full_stop(language):
    with translation.override(language):
        assert field().clean("12,5") == Decimal("12.5")
        assert field().clean("12.5") == Decimal("12.5")
        assert field().clean("") is None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fi",
            "Arvon ”1,234” voi lukea kokonaisluvuksi tai desimaaliluvuksi. Kirjoita kokonaisluku muodossa "
            "1234 tai desimaaliluku muodossa 1,2340.",
        ),
        (
            "sv",
            "Värdet ”1,234” kan läsas som ett heltal eller som ett decimaltal. Skriv heltalet som 1234 "
            "eller decimaltalet som 1,2340.",
        ),
        (
            "en",
            "“1,234” could be read as a whole number or as a decimal number. Write 1234 for the whole "
            "number or 1,2340 for the decimal number.",
        ),
    ],
)
def test_the_decimal_field_explains_an_ambiguous_number_in_each_language(language, message):
    with translation.override(language):
        with pytest.raises(Exception) as refused:
            field().clean("1,234")
        assert refused.value.messages == [message]  # the message is translated when it is read


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "Anna luku, esimerkiksi 12,5."),
        ("sv", "Ange ett tal, till exempel 12,5."),
        ("en", "Enter a number, such as 12.5."),
    ],
)
def test_the_decimal_field_refuses_letters_with_an_example_in_the_readers_format(language, message):
    with translation.override(language):
        with pytest.raises(Exception) as refused:
            field().clean("12,5 %")
        assert refused.value.messages == [message]  # the message is translated when it is read


def test_the_decimal_field_refuses_more_decimals_than_it_keeps_but_not_trailing_zeros():
    assert field().clean("1,2340") == Decimal("1.234")
    with pytest.raises(Exception, match="no more than 3 decimal places"):
        field().clean("1,2345")


@pytest.mark.parametrize(("language", "shown"), [("fi", "12,5"), ("sv", "12,5"), ("en", "12.5")])
def test_the_decimal_field_shows_a_stored_value_in_the_readers_format_in_a_text_input(language, shown):
    with translation.override(language):
        html = field().widget.render("x", field().prepare_value(Decimal("12.500")))

    assert f'value="{shown}"' in html
    assert 'type="text"' in html and 'inputmode="decimal"' in html


@pytest.mark.parametrize("typed", ["12,5", "12.5", "1.000", "2,025", "x"])
def test_a_whole_number_field_refuses_any_decimal_or_separator(typed):
    with pytest.raises(Exception, match="Enter a whole number"):
        WholeNumberField().clean(typed)


def test_a_whole_number_field_takes_digits_and_space_grouping_in_a_numeric_text_input():
    assert WholeNumberField().clean("2025") == 2025
    assert WholeNumberField().clean("1 200") == 1200
    html = WholeNumberField().widget.render("x", 5)
    assert 'type="text"' in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize("typed", ["1.6.2025", "01.06.2025", " 1.6.2025 ", "2025-06-01"])
def test_a_date_is_entered_as_d_m_yyyy_in_every_language(typed):
    for language in LANGUAGES:
        with translation.override(language):
            assert DateField().clean(typed) == datetime.date(2025, 6, 1)


@pytest.mark.parametrize("typed", ["1.6.25", "6/1/2025", "31.2.2025", "1.6.2025.", "kesäkuu"])
def test_a_date_that_is_not_d_m_yyyy_or_not_a_day_is_refused(typed):
    with pytest.raises(Exception, match=r"Enter the date as d\.m\.yyyy"):
        DateField().clean(typed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_is_shown_as_d_m_yyyy_in_a_text_input(language):
    with translation.override(language):
        html = DateField().widget.render("x", datetime.date(2025, 6, 1))

    assert 'type="text"' in html and 'value="1.6.2025"' in html


def test_a_long_list_of_checkboxes_carries_the_select_all_and_none_buttons_and_a_short_one_does_not():
    def render(count: int) -> str:
        with translation.override("fi"):
            return CheckboxList(choices=[(n, f"Kunta {n}") for n in range(count)]).render("parties", [])

    assert 'data-select-all="Valitse kaikki" data-select-none="Poista valinnat"' in render(8)
    assert "data-select-all" not in render(7) and 'class="choices"' in render(7)
