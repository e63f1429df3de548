import pytest
from django.core.exceptions import ValidationError

from shop.accounts.validators import (
    display_phone,
    normalize_phone,
    normalize_tw_postal_code,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912-345-678", "+886912345678"),
        ("0912345678", "+886912345678"),
        ("0912 345 678", "+886912345678"),
        ("+886 912 345 678", "+886912345678"),
        ("886912345678", "+886912345678"),
        ("+886-0912-345-678", "+886912345678"),
        ("(02) 2345-6789", "+886223456789"),
        ("04-2345-6789", "+886423456789"),
        ("+81 90 1234 5678", "+819012345678"),
        ("0081 90 1234 5678", "+819012345678"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("０９１２－３４５－６７８", "+886912345678"),
    ],
)
def test_phone_numbers_are_accepted_and_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "0812-345",
        "",
        "0912-345-67",
        "+886 12",
        "phone",
        "+0 123 456 789",
        "٠٩١٢٣٤٥٦٧٨",
    ],
)
def test_bad_phone_numbers_are_rejected(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+886912345678", "0912-345-678"),
        ("+886223456789", "0223456789"),
        ("+819012345678", "+819012345678"),
    ],
)
def test_display_phone(e164, shown):
    assert display_phone(e164) == shown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("106", "106"),
        ("10647", "10647"),
        ("106024", "106024"),
        ("106-024", "106024"),
        (" 106 ", "106"),
        ("１０６", "106"),
    ],
)
def test_taiwan_postal_codes_of_3_5_or_6_digits(raw, expected):
    assert normalize_tw_postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["10", "1064", "1060241", "abc", "", "10٦", "106\n0"])
def test_other_postal_codes_are_rejected_for_taiwan(raw):
    with pytest.raises(ValidationError):
        normalize_tw_postal_code(raw)
