"""Writes for customers: profile, marketing consents and the address book.

Every function here is the one way its change is made, whatever the door (member
pages, allauth signup, admin, API). Invalid input raises `AccountsError` with the
offending field, so each door can show it beside that field.
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.accounts.errors import AccountsError
from shop.accounts.models import Address, ConsentRecord, User
from shop.accounts.regions import TAIWAN_CITY_NAMES, address_countries
from shop.accounts.validators import normalize_phone, normalize_tw_postal_code

# channel → (flag field, changed-at field) on User
CONSENT_FIELDS = {
    ConsentRecord.Channel.EMAIL: (
        "accepts_email_marketing",
        "email_marketing_changed_at",
    ),
    ConsentRecord.Channel.SMS: ("accepts_sms_marketing", "sms_marketing_changed_at"),
}
EARLIEST_BIRTHDAY = datetime.date(1900, 1, 1)


def _lock_user(user_id: int) -> None:
    # Rules that look at several rows of one customer (one default address, the
    # birthday set once) are serialised on the customer's row.
    User.objects.select_for_update().filter(pk=user_id).values_list("pk").get()


def _clean_phone(raw: str, *, field: str = "phone", required: bool = False) -> str:
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise AccountsError(
                _("Enter a phone number."), field=field, code="required"
            )
        return ""
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        raise AccountsError(exc.messages[0], field=field, code="invalid_phone") from exc


def _check_birthday(birthday: datetime.date) -> None:
    if birthday > timezone.localdate():
        raise AccountsError(
            _("Your birthday cannot be in the future."),
            field="birthday",
            code="invalid",
        )
    if birthday < EARLIEST_BIRTHDAY:
        raise AccountsError(
            _("Enter a birthday after 1900."), field="birthday", code="invalid"
        )


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    name: str,
    phone: str,
    birthday: datetime.date | None,
    accepts_email_marketing: bool | None = None,
    accepts_sms_marketing: bool | None = None,
    source: str = "profile",
) -> User:
    """Save what a member may change about themselves.

    The birthday can be set once: birthday gifts depend on it, so a member who
    could move it would collect a gift every month. A second, different value
    raises `AccountsError`; staff correct it with `user_birthday_correct`.
    Consents left as `None` are not touched; the others go through
    `user_consent_set` with `source`. An SMS consent needs a phone number.
    """
    name = (name or "").strip()
    if not name:
        raise AccountsError(_("Enter your name."), field="name", code="required")
    phone = _clean_phone(phone)
    wants_sms = (
        accepts_sms_marketing
        if accepts_sms_marketing is not None
        else user.accepts_sms_marketing
    )
    if wants_sms and not phone:
        raise AccountsError(
            _("Add a mobile phone number to receive SMS offers, or untick SMS offers."),
            field="phone",
            code="phone_required_for_sms",
        )

    _lock_user(user.pk)
    stored_birthday = User.objects.values_list("birthday", flat=True).get(pk=user.pk)
    update_fields = ["name", "phone"]
    if birthday != stored_birthday:
        if stored_birthday is not None:
            raise AccountsError(
                _(
                    "Your birthday has already been set and cannot be changed here. "
                    "Please contact us to correct it."
                ),
                field="birthday",
                code="birthday_locked",
            )
        _check_birthday(birthday)
        user.birthday = birthday
        user.birthday_set_at = timezone.now()
        update_fields += ["birthday", "birthday_set_at"]

    user.name = name
    user.phone = phone
    user.save(update_fields=update_fields)
    for channel, granted in (
        (ConsentRecord.Channel.EMAIL, accepts_email_marketing),
        (ConsentRecord.Channel.SMS, accepts_sms_marketing),
    ):
        if granted is not None:
            user_consent_set(user=user, channel=channel, granted=granted, source=source)
    return user


@transaction.atomic
def user_birthday_correct(*, user: User, birthday: datetime.date | None) -> User:
    """Staff correct a member's birthday (or clear it); the time is recorded.

    `birthday_set_at` moves too, so gift rules that refuse a birthday changed just
    before the birthday month also apply to corrections.
    """
    if birthday is not None:
        _check_birthday(birthday)
    user.birthday = birthday
    user.birthday_set_at = timezone.now() if birthday is not None else None
    user.save(update_fields=["birthday", "birthday_set_at"])
    return user


@transaction.atomic
def user_consent_set(
    *, user: User, channel: str, granted: bool, source: str
) -> ConsentRecord | None:
    """Give or withdraw a marketing consent and keep the history.

    Updates the flag and its changed-at time and appends a `ConsentRecord`.
    Returns the record, or `None` when the consent already had that value (no
    record is written then, so the history shows only real changes).
    """
    try:
        channel = ConsentRecord.Channel(channel)
    except ValueError as exc:
        raise AccountsError(
            _("Unknown consent channel."), field="channel", code="invalid"
        ) from exc
    flag_field, at_field = CONSENT_FIELDS[channel]
    current = (
        User.objects.select_for_update()
        .values_list(flag_field, flat=True)
        .get(pk=user.pk)
    )
    if current == granted:
        setattr(user, flag_field, current)
        return None
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(**{flag_field: granted, at_field: now})
    setattr(user, flag_field, granted)
    setattr(user, at_field, now)
    return ConsentRecord.objects.create(
        user=user, channel=channel, granted=granted, source=source, recorded_at=now
    )


@transaction.atomic
def user_email_sync(*, user: User) -> None:
    """Make `user.email` the only address allauth knows for this user.

    Used after staff change the email in the back office: allauth also logs in
    with the addresses in its own table, so the old one must not stay there.
    A new address starts unverified.
    """
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True}
    )


# --- Address book -----------------------------------------------------------


def _max_length_check(field: str, value: str) -> None:
    max_length = Address._meta.get_field(field).max_length
    if len(value) > max_length:
        raise AccountsError(
            _("Use at most %(max)d characters.") % {"max": max_length},
            field=field,
            code="max_length",
        )


def address_validate(
    *,
    recipient_name: str,
    phone: str,
    country: str,
    postal_code: str,
    city: str,
    district: str,
    street: str,
) -> dict[str, str]:
    """Check and normalise an address; raise AccountsError on the first fault.

    Phone to E.164; for Taiwan a county from the list (台 read as 臺), a postal
    code of 3, 5 or 6 digits and a district. Returns the cleaned values.
    """
    data = {
        "recipient_name": (recipient_name or "").strip(),
        "country": (country or "").strip().upper(),
        "postal_code": (postal_code or "").strip(),
        "city": (city or "").strip(),
        "district": (district or "").strip(),
        "street": (street or "").strip(),
    }
    if not data["recipient_name"]:
        raise AccountsError(
            _("Enter the recipient's name."), field="recipient_name", code="required"
        )
    data["phone"] = _clean_phone(phone, required=True)
    if data["country"] not in dict(address_countries()):
        raise AccountsError(
            _("Choose a country from the list."), field="country", code="invalid"
        )
    if data["country"] == "TW":
        # Both 台 and 臺 are in everyday use; the list spells counties with 臺.
        city_name = data["city"].replace("台", "臺")
        if city_name not in TAIWAN_CITY_NAMES:
            raise AccountsError(
                _("Choose a city or county from the list."),
                field="city",
                code="invalid",
            )
        data["city"] = city_name
        try:
            data["postal_code"] = normalize_tw_postal_code(data["postal_code"])
        except ValidationError as exc:
            raise AccountsError(
                exc.messages[0], field="postal_code", code="invalid_postal_code"
            ) from exc
        if not data["district"]:
            raise AccountsError(
                _("Enter the district."), field="district", code="required"
            )
    elif not data["city"]:
        raise AccountsError(_("Enter the city."), field="city", code="required")
    if not data["street"]:
        raise AccountsError(
            _("Enter the street address."), field="street", code="required"
        )
    for field, value in data.items():
        _max_length_check(field, value)
    return data


@transaction.atomic
def address_create(
    *,
    user: User,
    recipient_name: str,
    phone: str,
    postal_code: str,
    city: str,
    district: str,
    street: str,
    country: str = "TW",
    is_default: bool = False,
) -> Address:
    """Add an address to a customer's book.

    The first address becomes the default whatever `is_default` says, so a
    customer with addresses always has exactly one default.
    """
    data = address_validate(
        recipient_name=recipient_name,
        phone=phone,
        country=country,
        postal_code=postal_code,
        city=city,
        district=district,
        street=street,
    )
    _lock_user(user.pk)
    current_default = Address.objects.filter(user=user, is_default=True)
    has_default = current_default.exists()
    make_default = is_default or not has_default
    if make_default and has_default:
        # Cleared first: the partial unique index allows one default at a time.
        current_default.update(is_default=False)
    return Address.objects.create(user=user, is_default=make_default, **data)


@transaction.atomic
def address_update(
    *,
    address: Address,
    recipient_name: str | None = None,
    phone: str | None = None,
    postal_code: str | None = None,
    city: str | None = None,
    district: str | None = None,
    street: str | None = None,
    country: str | None = None,
    is_default: bool = False,
) -> Address:
    """Change an address; fields left as `None` keep their value.

    `is_default=True` makes it the default. `False` does not take the default
    away: another address has to be made default instead.
    """
    changes = {
        "recipient_name": recipient_name,
        "phone": phone,
        "country": country,
        "postal_code": postal_code,
        "city": city,
        "district": district,
        "street": street,
    }
    merged = {
        field: getattr(address, field) if value is None else value
        for field, value in changes.items()
    }
    data = address_validate(**merged)
    for field, value in data.items():
        setattr(address, field, value)
    address.save(update_fields=list(data))
    if is_default and not address.is_default:
        address_set_default(address=address)
    return address


@transaction.atomic
def address_set_default(*, address: Address) -> Address:
    """Make this the customer's default address (and no other)."""
    _lock_user(address.user_id)
    others = Address.objects.filter(user_id=address.user_id, is_default=True).exclude(
        pk=address.pk
    )
    others.update(is_default=False)
    Address.objects.filter(pk=address.pk).update(is_default=True)
    address.is_default = True
    return address


@transaction.atomic
def address_delete(*, address: Address) -> Address | None:
    """Delete an address; when it was the default the newest remaining one takes over.

    Returns the address that is now the default, if any is left.
    """
    _lock_user(address.user_id)
    was_default = Address.objects.filter(pk=address.pk, is_default=True).exists()
    user_id = address.user_id
    address.delete()
    remaining = Address.objects.filter(user_id=user_id)
    if not was_default:
        return remaining.filter(is_default=True).first()
    newest = remaining.order_by("-created_at", "-id").first()
    if newest is not None:
        Address.objects.filter(pk=newest.pk).update(is_default=True)
        newest.is_default = True
    return newest
