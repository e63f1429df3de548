"""Phone numbers: Taiwan formats accepted as people write them, international allowed."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-().]")
_TW_MOBILE = re.compile(r"^09\d{8}$")
_TW_LANDLINE = re.compile(r"^0[2-8]\d{7,8}$")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{6,14}$")


def normalize_phone(raw: str) -> str:
    """Return the number in E.164 (`+886912345678`), or raise ValidationError.

    Accepts `0912-345-678`, `0912 345 678`, `(02) 2345-6789`, `+886 912 345 678`,
    `886912345678`, and any other country's number written with a leading `+`.
    """
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("00"):
        value = "+" + value[2:]
    if value.startswith("886") and not value.startswith("+"):
        value = "+" + value
    if value.startswith("+8860"):
        value = "+886" + value[5:]
    if _TW_MOBILE.match(value) or _TW_LANDLINE.match(value):
        return "+886" + value[1:]
    if _INTERNATIONAL.match(value):
        if value.startswith("+886") and not (
            _TW_MOBILE.match("0" + value[4:]) or _TW_LANDLINE.match("0" + value[4:])
        ):
            raise ValidationError(_("Enter a valid Taiwan phone number, e.g. 0912-345-678."))
        return value
    raise ValidationError(
        _("Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678."),
        code="invalid_phone",
    )


def display_phone(e164: str) -> str:
    """`+886912345678` → `0912-345-678`; other countries stay in E.164."""
    if e164.startswith("+8869") and len(e164) == 13:
        local = "0" + e164[4:]
        return f"{local[:4]}-{local[4:7]}-{local[7:]}"
    if e164.startswith("+886"):
        return "0" + e164[4:]
    return e164


def validate_phone(value: str) -> None:
    normalize_phone(value)
