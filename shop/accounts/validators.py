"""Phone numbers (Taiwan formats as people write them, or international) and
Taiwan postal codes."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-().]")
# [0-9], not \d: \d also matches other scripts' digits, which E.164 does not allow.
_TW_MOBILE = re.compile(r"09[0-9]{8}")
_TW_LANDLINE = re.compile(r"0[2-8][0-9]{7,8}")
_INTERNATIONAL = re.compile(r"\+[1-9][0-9]{6,14}")


def _ascii_width(raw: str) -> str:
    # Chinese input methods often type full-width digits and dashes (０９１２－).
    return unicodedata.normalize("NFKC", raw or "")


def normalize_phone(raw: str) -> str:
    """Return the number in E.164 (`+886912345678`), or raise ValidationError.

    Accepts `0912-345-678`, `0912 345 678`, `(02) 2345-6789`, `+886 912 345 678`,
    `886912345678`, and any other country's number written with a leading `+`.
    """
    value = _SEPARATORS.sub("", _ascii_width(raw))
    if value.startswith("00"):
        value = "+" + value[2:]
    if value.startswith("886") and not value.startswith("+"):
        value = "+" + value
    if value.startswith("+8860"):
        value = "+886" + value[5:]
    if _TW_MOBILE.fullmatch(value) or _TW_LANDLINE.fullmatch(value):
        return "+886" + value[1:]
    if _INTERNATIONAL.fullmatch(value):
        if value.startswith("+886") and not (
            _TW_MOBILE.fullmatch("0" + value[4:])
            or _TW_LANDLINE.fullmatch("0" + value[4:])
        ):
            raise ValidationError(
                _("Enter a valid Taiwan phone number, e.g. 0912-345-678.")
            )
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


_POSTAL_SEPARATORS = re.compile(r"[\s\-]")
_TW_POSTAL_CODE = re.compile(r"[0-9]{3}(?:[0-9]{2}|[0-9]{3})?")


def normalize_tw_postal_code(raw: str) -> str:
    """Return a Taiwan postal code as digits only, or raise ValidationError.

    Taiwan uses 3 digits, the older 3+2 (5 digits) or the current 3+3 (6 digits);
    people often write them with a dash (`106-024`).
    """
    value = _POSTAL_SEPARATORS.sub("", _ascii_width(raw))
    if not _TW_POSTAL_CODE.fullmatch(value):
        raise ValidationError(
            _("Enter a Taiwan postal code of 3, 5 or 6 digits, e.g. 106 or 106024."),
            code="invalid_postal_code",
        )
    return value
