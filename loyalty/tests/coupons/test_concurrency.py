"""Coupon limits under races on PostgreSQL: real threads, each its own connection."""

from decimal import Decimal

import pytest

from loyalty.coupons.services import coupon_release_for_order
from loyalty.errors import CouponError
from loyalty.models import Coupon, CouponRedemption
from loyalty.tests.coupons.support import coupon_create, place_with_coupon, variant
from loyalty.tests.factories import member_create
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.core.tests.concurrency import run_together, run_together_split
from shop.orders.models import Order

pytestmark = pytest.mark.postgres


def test_twenty_checkouts_at_once_use_exactly_the_limit(
    on_postgres,
    transactional_db,
    shipping_methods,  # noqa: F811
):
    coupon = coupon_create(usage_limit=5, kind="fixed", value=Decimal("100"))
    method = shipping_methods["store"]
    # Each buyer their own item: nothing but the coupon makes them wait.
    buyers = [
        (member_create(email=f"racer{n}@example.com"), variant("1000", stock=1))
        for n in range(20)
    ]

    orders, errors = run_together_split(
        *[
            lambda user=user, item=item: place_with_coupon(
                user, [(item, 1)], coupon="SUMMER10", method=method
            )
            for user, item in buyers
        ]
    )

    assert len(orders) == 5 and len(errors) == 15
    assert all(isinstance(error, CouponError) for error in errors), errors
    assert {error.message for error in errors} == {
        "This coupon has been fully redeemed."
    }
    assert Order.objects.count() == 5
    assert CouponRedemption.objects.count() == 5
    assert Coupon.objects.get(pk=coupon.pk).times_used == 5
    assert {order.total for order in orders} == {Decimal("900")}


def test_one_member_racing_themselves_uses_the_coupon_once(
    on_postgres,
    transactional_db,
    shipping_methods,  # noqa: F811
):
    coupon = coupon_create(per_member_limit=1)
    user = member_create(email="twice@example.com")
    items = [variant("1000", stock=1) for _ in range(4)]

    orders, errors = run_together_split(
        *[
            lambda item=item: place_with_coupon(
                user, [(item, 1)], coupon="SUMMER10", method=shipping_methods["store"]
            )
            for item in items
        ]
    )

    assert len(orders) == 1 and len(errors) == 3
    assert {error.message for error in errors} == {"You have already used this coupon."}
    assert Coupon.objects.get(pk=coupon.pk).times_used == 1


def test_releasing_twice_at_once_gives_the_use_back_once(
    on_postgres,
    transactional_db,
    shipping_methods,  # noqa: F811
):
    coupon = coupon_create()
    user = member_create(email="cancel@example.com")
    order = place_with_coupon(
        user,
        [(variant("1000"), 1)],
        coupon="SUMMER10",
        method=shipping_methods["store"],
    )

    outcomes = run_together(
        lambda: coupon_release_for_order(order=order),
        lambda: coupon_release_for_order(order=order),
    )

    assert sorted(outcomes) == [0, 1]
    assert Coupon.objects.get(pk=coupon.pk).times_used == 0
