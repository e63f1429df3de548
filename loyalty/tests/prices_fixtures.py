"""Members in a tier and shipping methods for the member-price tests.

Tests run with LANGUAGE_CODE="en": labels read with the tiers' English names.
"""

from __future__ import annotations

from decimal import Decimal

from loyalty.models import Membership
from loyalty.tests.factories import member_create, tier
from shop.checkout.models import ShippingMethod

LIST_PRICE = Decimal("1280")


def member_in(code: str, **user_fields):
    """A customer whose membership holds the active scheme's tier `code`."""
    user = member_create(**user_fields)
    Membership.objects.filter(user=user).update(tier=tier(code))
    return user


def home_delivery() -> ShippingMethod:
    """宅配到府: NT$100, free from NT$1,500 for everyone."""
    return _method(
        "home", name="宅配到府", kind="home", fee="100", threshold="1500", position=0
    )


def store_pickup() -> ShippingMethod:
    """門市自取: free, no address."""
    return _method("store", name="門市自取", kind="store", fee="0", position=1)


def _method(code, *, name, kind, fee, threshold=None, position) -> ShippingMethod:
    method, _created = ShippingMethod.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "fee": Decimal(fee),
            "free_shipping_threshold": Decimal(threshold) if threshold else None,
            "is_active": True,
            "position": position,
        },
    )
    return method
