"""Who is buying and where it goes: contact and shipping details, validated.

The checkout forms, the API and `order_place` share these rules, so a detail
refused on one door is refused on all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from shop.accounts.regions import TAIWAN_CITY_NAMES
from shop.accounts.validators import normalize_phone, normalize_tw_postal_code
from shop.checkout.errors import CheckoutError
from shop.checkout.models import ShippingMethod

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
STORE_CODE = re.compile(r"^[A-Za-z0-9]{3,10}$")


@dataclass(frozen=True)
class Contact:
    email: str
    name: str
    phone: str


@dataclass(frozen=True)
class ShippingDetails:
    """Where the parcel goes: an address for home delivery, a store for pickup."""

    method: ShippingMethod
    recipient_name: str = ""
    recipient_phone: str = ""
    postal_code: str = ""
    city: str = ""
    district: str = ""
    street: str = ""
    store_code: str = ""
    store_name: str = ""


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise CheckoutError(message, field=field, code="required")
    return value


def _max_length(value: str, field: str, max_length: int) -> str:
    if len(value) > max_length:
        raise CheckoutError(
            _("Use at most %(max)d characters.") % {"max": max_length},
            field=field,
            code="max_length",
        )
    return value


def _phone(value: str, field: str) -> str:
    value = _required(value, field, _("Enter a phone number."))
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise CheckoutError(exc.messages[0], field=field, code="invalid_phone") from exc


def contact_validate(*, email: str, name: str, phone: str) -> Contact:
    """Clean the buyer's contact details; CheckoutError names the faulty field."""
    email = _required(email, "email", _("Enter your email address.")).lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise CheckoutError(
            _("Enter a valid email address."), field="email", code="invalid_email"
        ) from exc
    name = _max_length(_required(name, "name", _("Enter your name.")), "name", 150)
    return Contact(
        email=_max_length(email, "email", 254), name=name, phone=_phone(phone, "phone")
    )


def shipping_address_values(address) -> dict[str, str]:
    """An address-book entry as the keyword arguments of `shipping_validate`.

    Every door that ships to a saved address (checkout pages, API) passes it
    through here, so the entry is checked again exactly like a typed address.
    """
    return {
        "recipient_name": address.recipient_name,
        "recipient_phone": address.phone,
        "postal_code": address.postal_code,
        "city": address.city,
        "district": address.district,
        "street": address.street,
    }


def shipping_validate(
    *,
    method: ShippingMethod | None,
    contact: Contact,
    recipient_name: str = "",
    recipient_phone: str = "",
    postal_code: str = "",
    city: str = "",
    district: str = "",
    street: str = "",
    store_code: str = "",
    store_name: str = "",
) -> ShippingDetails:
    """Clean the delivery details the chosen method needs and drop the others.

    Home delivery needs a Taiwan address; convenience-store pickup a store code
    and name; in-store pickup nothing. Pickups are collected by the buyer, so
    the recipient defaults to the contact.
    """
    if method is None or not method.is_active:
        raise CheckoutError(
            _("Choose a shipping method from the list."),
            field="shipping_method",
            code="invalid_shipping_method",
        )
    recipient = (recipient_name or "").strip() or contact.name
    phone = (recipient_phone or "").strip() or contact.phone
    recipient = _max_length(recipient, "recipient_name", 100)
    phone = _phone(phone, "recipient_phone")
    if method.needs_address:
        city = _required(city, "city", _("Choose a city or county.")).replace(
            "台", "臺"
        )
        if city not in TAIWAN_CITY_NAMES:
            raise CheckoutError(
                _("Choose a city or county from the list."),
                field="city",
                code="invalid",
            )
        try:
            postal_code = normalize_tw_postal_code(postal_code)
        except ValidationError as exc:
            raise CheckoutError(
                exc.messages[0], field="postal_code", code="invalid_postal_code"
            ) from exc
        district = _required(district, "district", _("Enter the district."))
        street = _required(street, "street", _("Enter the street address."))
        return ShippingDetails(
            method=method,
            recipient_name=recipient,
            recipient_phone=phone,
            postal_code=postal_code,
            city=city,
            district=_max_length(district, "district", 50),
            street=_max_length(street, "street", 200),
        )
    if method.needs_store:
        store_code = _required(store_code, "store_code", _("Enter the store number."))
        if not STORE_CODE.match(store_code):
            raise CheckoutError(
                _("Enter the store number as shown by the store finder, e.g. 131386."),
                field="store_code",
                code="invalid_store_code",
            )
        store_name = _required(store_name, "store_name", _("Enter the store name."))
        return ShippingDetails(
            method=method,
            recipient_name=recipient,
            recipient_phone=phone,
            store_code=store_code.upper(),
            store_name=_max_length(store_name, "store_name", 100),
        )
    return ShippingDetails(
        method=method, recipient_name=recipient, recipient_phone=phone
    )


def idempotency_key_validate(key: str) -> str:
    key = (key or "").strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise CheckoutError(
            _("The checkout form has expired. Please review your order and try again."),
            field="idempotency_key",
            code="invalid_idempotency_key",
        )
    return key
