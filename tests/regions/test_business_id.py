import pytest
from django.core.exceptions import ValidationError

from regions.validators import validate_business_id


@pytest.mark.parametrize("value", ["0201256-6", "0204819-8", "0246246-0"])
def test_valid_business_ids_pass(value):
    validate_business_id(value)


@pytest.mark.parametrize(
    ("value", "code"), [("0201256-7", "checksum"), ("201256-6", "format"), ("0201256 6", "format")]
)
def test_invalid_business_ids_are_refused(value, code):
    with pytest.raises(ValidationError) as error:
        validate_business_id(value)
    assert error.value.code == code
