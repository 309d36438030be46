import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yhdyspinta.numbers import NumberError, ambiguous_readings, format_decimal, parse_decimal, parse_whole_number


class PlainLabels:
    """Labels without Django's trailing colon, as in the rest of the service's text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DecimalInput(forms.TextInput):
    """A text input for a number with decimals.

    Not ``type=number``: many browsers refuse a decimal comma there, and Chromium in an English
    locale reads ``12,5`` as 125. ``inputmode`` still brings up a number keypad on phones.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class WholeNumberInput(forms.TextInput):
    """A text input for a whole number (a year, a count, an id); see `DecimalInput` for why text."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class DecimalField(forms.DecimalField):
    """A number with decimals, typed the Finnish way or the English way, shown in the reader's locale.

    Reads what was typed with `yhdyspinta.numbers.parse_decimal`, whose docstring is the rule:
    ``12,5``, ``12.5`` and ``1 234,5`` are accepted in every language; anything that is not a
    number, or could be read as two different numbers (``1,234``), is refused with a message next
    to the field, never changed in magnitude. Decimals beyond ``decimal_places`` are refused, except
    trailing zeros, which change nothing (``1,2340`` is how one writes the decimal 1,234).
    A stored value is shown as ``12,5`` in Finnish and Swedish and ``12.5`` in English.
    """

    widget = DecimalInput
    default_error_messages = {
        "invalid": _("Enter a number, such as %(example)s."),
        "ambiguous": _(
            "“%(value)s” could be read as a whole number or as a decimal number. Write %(whole)s for "
            "the whole number or %(decimal)s for the decimal number."
        ),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            number = parse_decimal(str(value))
        except NumberError as error:
            if error.code == "ambiguous":
                params = ambiguous_readings(str(value))
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params=params) from None
            example = format_decimal(Decimal("12.5"))
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"example": example}) from None
        return self._without_surplus_zeros(number)

    def validate(self, value):
        # Django's check for NaN and infinity: parse_decimal never lets them through.
        forms.Field.validate(self, value)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_decimal(value)
        return value  # what was typed, shown back as it was

    def _without_surplus_zeros(self, number: Decimal) -> Decimal:
        if self.decimal_places is None or number.as_tuple().exponent >= -self.decimal_places:
            return number
        try:
            shorter = number.quantize(Decimal(1).scaleb(-self.decimal_places))
        except InvalidOperation:
            return number
        return shorter if shorter == number else number


class WholeNumberField(forms.IntegerField):
    """A whole number: digits, optionally grouped by spaces (``1 200``); a comma or full stop is refused.

    ``12,5`` is not silently read as 125 or 12, and ``1.000`` could be one or a thousand.
    """

    widget = WholeNumberInput
    default_error_messages = {"invalid": _("Enter a whole number, without a comma or full stop.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_whole_number(str(value))
        except NumberError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DateInput(forms.DateInput):
    """A text input showing a date as d.m.yyyy in every language (``type=date`` follows the browser)."""

    input_type = "text"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day}.{value.month}.{value.year}"
        return super().format_value(value)


_FINNISH_DATE = re.compile(r"(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})")
_ISO_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")


class DateField(forms.DateField):
    """A date entered and shown as d.m.yyyy (``1.6.2025``, also ``01.06.2025``) in every language.

    A pasted ISO date (``2025-06-01``) is taken too. A two-digit year is refused rather than
    guessed.
    """

    widget = DateInput
    default_error_messages = {"invalid": _("Enter the date as d.m.yyyy, for example 1.6.2025.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        match = _FINNISH_DATE.fullmatch(text) or _ISO_DATE.fullmatch(text)
        try:
            if not match:
                raise ValueError(text)
            return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes, each next to its label.

    A list of `select_all_from` choices or more carries the texts of "select all" and "select none"
    buttons, which static/js/forms.js adds; without JavaScript the boxes are ticked one by one.
    The choices are counted from the options being rendered, so no query is added.
    """

    select_all_from = 8

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        html = self._render(self.template_name, context, renderer)
        count = sum(len(options) for _group, options, _index in context["widget"]["optgroups"])
        if count < self.select_all_from:
            return format_html('<div class="choices">{}</div>', html)
        return format_html(
            '<div class="choices" data-select-all="{}" data-select-none="{}">{}</div>',
            _("Select all"),
            _("Select none"),
            html,
        )


class RadioList(forms.RadioSelect):
    """Radio buttons, each next to its label."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<div class="choices">{}</div>', super().render(name, value, attrs, renderer))


class Form(PlainLabels, forms.Form):
    pass


def number_formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field for a model field, with the project's own number fields for numbers."""
    if not model_field.choices:
        if isinstance(model_field, models.DecimalField):
            kwargs.setdefault("form_class", DecimalField)
        elif isinstance(model_field, models.IntegerField):
            kwargs.setdefault("form_class", WholeNumberField)
    return model_field.formfield(**kwargs)


class ModelForm(PlainLabels, forms.ModelForm):
    """A model form whose numeric fields are `DecimalField` and `WholeNumberField`.

    Django reads ``formfield_callback`` from each form's own ``Meta``; this puts it there for every
    subclass that does not name its own, so no later form gets a browser's ``type=number``.
    """

    def __init_subclass__(cls, **kwargs):
        meta = getattr(cls, "Meta", None)
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(number_formfield)
        super().__init_subclass__(**kwargs)


class BoundedUsername:
    """Refuses a username longer than any account can have.

    Django's AuthenticationForm puts the length limit on the widget only, so a longer name reached
    authentication and django-axes, whose 255-character column refused it on PostgreSQL: a 500
    for anyone posting a long name. No such account exists; the form says the name is too long.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(PlainLabels, BoundedUsername, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsername, AdminAuthenticationForm):
    pass
