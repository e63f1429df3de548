"""The return policy: frozen on the order at placement, never shortened later."""

from decimal import Decimal

import pytest

from returns.errors import ReturnError
from returns.models import OrderReturnPolicy, ReturnPolicy, ShippingRefundRule
from returns.selectors import return_policy
from returns.services import order_return_policy_snapshot, return_policy_update
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.checkout.tests.helpers import place
from shop.core.shopper import PublicShopper
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


def test_placement_through_checkout_snapshots_the_policy(
    shipping_methods,  # noqa: F811
    settings,
):
    settings.COOLING_OFF_DAYS = 7
    return_policy_update(
        merchant_window_days=45,
        restocking_fee_percent=Decimal("10"),
        return_shipping_fee=Decimal("60"),
        shipping_refund_rule=ShippingRefundRule.COOLING_OFF,
        credit_bonus_percent=Decimal("5"),
    )
    lotion = VariantFactory(
        price=Decimal("680"),
        stock=5,
        product__non_returnable_reason="Opened cosmetics cannot be returned.",
    )

    order = place(
        shopper=PublicShopper(),
        items={lotion.pk: 1},
        method=shipping_methods["home"],
    )

    snapshot = OrderReturnPolicy.objects.get(order=order)
    assert (
        snapshot.cooling_off_days,
        snapshot.merchant_window_days,
        snapshot.restocking_fee_percent,
        snapshot.return_shipping_fee,
        snapshot.shipping_refund_rule,
        snapshot.credit_bonus_percent,
        snapshot.reversed_points_rule,
    ) == (
        7,
        45,
        Decimal("10.00"),
        Decimal("60.00"),
        "cooling_off",
        Decimal("5.00"),
        "negative",
    )
    assert order.lines.get().non_returnable_reason == (
        "Opened cosmetics cannot be returned."
    )


def test_a_later_policy_edit_changes_no_placed_order(shipping_methods):  # noqa: F811
    item = VariantFactory(price=Decimal("300"), stock=5)
    order = place(
        shopper=PublicShopper(), items={item.pk: 1}, method=shipping_methods["home"]
    )

    return_policy_update(merchant_window_days=10, restocking_fee_percent=Decimal("20"))

    snapshot = OrderReturnPolicy.objects.get(order=order)
    assert snapshot.merchant_window_days == 30
    assert snapshot.restocking_fee_percent == Decimal("0.00")
    assert order_return_policy_snapshot(order=order).merchant_window_days == 30
    assert return_policy().merchant_window_days == 10


def test_cooling_off_comes_from_the_statute_setting_not_the_policy(settings):
    settings.COOLING_OFF_DAYS = 10
    ReturnPolicy.objects.update_or_create(pk=1, defaults={"cooling_off_days": 3})

    snapshot = order_return_policy_snapshot(order=order_with_lines())

    assert snapshot.cooling_off_days == 10


def test_an_order_from_before_the_app_gets_the_current_policy_once():
    order = order_with_lines()  # not placed through checkout: no snapshot
    assert not OrderReturnPolicy.objects.filter(order=order).exists()
    return_policy_update(merchant_window_days=14)

    first = order_return_policy_snapshot(order=order)
    return_policy_update(merchant_window_days=60)
    again = order_return_policy_snapshot(order=type(order).objects.get(pk=order.pk))

    assert first.merchant_window_days == 14
    assert again.pk == first.pk
    assert OrderReturnPolicy.objects.filter(order=order).count() == 1


def test_the_policy_is_cached_and_an_update_clears_it(django_assert_num_queries):
    return_policy()
    with django_assert_num_queries(0):
        assert return_policy().merchant_window_days == 30

    return_policy_update(merchant_window_days=21)

    assert return_policy().merchant_window_days == 21


def test_the_merchant_window_cannot_be_shorter_than_cooling_off(settings):
    settings.COOLING_OFF_DAYS = 7

    with pytest.raises(ReturnError) as error:
        return_policy_update(merchant_window_days=5)

    assert error.value.field == "merchant_window_days"
    assert error.value.message == (
        "The return window cannot be shorter than the 7-day cooling-off period."
    )
    assert ReturnPolicy.objects.get(pk=1).merchant_window_days == 30
