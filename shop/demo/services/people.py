"""Seeding the demo's people: the merchant, one staff user per role, shoppers."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.accounts.models import Address, ConsentRecord, User
from shop.core.errors import ShopError
from shop.core.roles import CUSTOMER_SERVICE, MERCHANT, RETURNS_STAFF
from shop.demo.plan import shopper_plan
from shop.demo.services.batches import Progress, batches, no_progress

DEMO_PASSWORD = "demo1234"

# (email, name, role group, superuser)
STAFF = (
    ("merchant@example.com", "林美君", MERCHANT, True),
    ("service@example.com", "陳怡安", CUSTOMER_SERVICE, False),
    ("returns@example.com", "王建志", RETURNS_STAFF, False),
)


@functools.cache
def demo_password_hash() -> str:
    """The hash of the demo password, made once and shared by every demo user.

    Hashing is deliberately slow (hundreds of milliseconds), so hashing it per
    user would make 10,000 shoppers take an hour.
    """
    return make_password(DEMO_PASSWORD)


@dataclass(frozen=True)
class StaffLogin:
    email: str
    role: str
    created: bool


def demo_staff_seed() -> list[StaffLogin]:
    """The merchant (a superuser) and one staff user per role, password demo1234.

    Existing users keep their password and details; they are only put back
    into their role group.
    """
    groups = {
        group.name: group
        for group in Group.objects.filter(name__in=[s[2] for s in STAFF])
    }
    missing = {role for _e, _n, role, _s in STAFF} - set(groups)
    if missing:
        raise ShopError(
            _("The staff role groups are missing (%(groups)s); run migrate first.")
            % {"groups": ", ".join(sorted(missing))}
        )
    logins = []
    with transaction.atomic():
        for email, name, role, superuser in STAFF:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "name": name,
                    "password": demo_password_hash,  # hashed only if created
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            user.groups.add(groups[role])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            logins.append(StaffLogin(email=email, role=role, created=created))
    return logins


def demo_shoppers_seed(*, customers: int, progress: Progress = no_progress) -> int:
    """Create shoppers member1@example.com … member<customers>@example.com.

    Each has a name, a Taiwan mobile number, usually a birthday, one or two
    addresses, marketing consents with their history, and a verified email
    address for allauth. Returns how many were created.
    """
    if customers < 0:
        raise ShopError(
            _("The number of customers cannot be negative."), field="customers"
        )
    existing = set(
        User.objects.filter(email__startswith="member", email__endswith="@example.com")
        .values_list("email", flat=True)
        .iterator()
    )
    planned = [plan for plan in shopper_plan(customers) if plan.email not in existing]
    progress(customers - len(planned))
    now = timezone.now()
    with transaction.atomic():
        for batch in batches(planned, 1000):
            _create_shoppers(batch, password_hash=demo_password_hash(), now=now)
            progress(len(batch))
    return len(planned)


def _create_shoppers(batch, *, password_hash: str, now: datetime.datetime) -> None:
    users = User.objects.bulk_create(
        User(
            email=plan.email,
            name=plan.name,
            phone=plan.phone,
            birthday=plan.birthday,
            birthday_set_at=now - plan.joined_ago if plan.birthday else None,
            accepts_email_marketing=plan.accepts_email_marketing,
            email_marketing_changed_at=(
                now - plan.joined_ago if plan.accepts_email_marketing else None
            ),
            accepts_sms_marketing=plan.accepts_sms_marketing,
            sms_marketing_changed_at=(
                now - plan.joined_ago if plan.accepts_sms_marketing else None
            ),
            password=password_hash,
            date_joined=now - plan.joined_ago,
        )
        for plan in batch
    )
    pairs = list(zip(batch, users, strict=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for _plan, user in pairs
    )
    # Consents given at signup, as `accounts.services.user_consent_set` records them.
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            user=user,
            channel=channel,
            granted=True,
            source="signup",
            recorded_at=user.date_joined,
        )
        for plan, user in pairs
        for channel, granted in (
            (ConsentRecord.Channel.EMAIL, plan.accepts_email_marketing),
            (ConsentRecord.Channel.SMS, plan.accepts_sms_marketing),
        )
        if granted
    )
    Address.objects.bulk_create(
        Address(
            user=user,
            recipient_name=address.recipient_name,
            phone=address.phone,
            postal_code=address.postal_code,
            city=address.city,
            district=address.district,
            street=address.street,
            is_default=address.is_default,
        )
        for plan, user in pairs
        for address in plan.addresses
    )
