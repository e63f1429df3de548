"""The refund's rules: shipping, fees, shopping credit instead of money, and
earned points that were already spent."""

from decimal import Decimal

import pytest

from loyalty.credit.services import credit_reconcile
from loyalty.models import CreditEntry, Membership, PointsEntry
from loyalty.services import points
from loyalty.services.points import points_lot_differences
from loyalty.tests.points_support import programme_set
from returns.models import RefundStatus, ReturnReason, SerialReturner
from returns.services import return_policy_update
from returns.services.refunds import refund_issue, refund_preview
from returns.tests.factories import staff_user
from returns.tests.money.support import (
    inspected_return,
    member_with_wallet,
    mixed_order,
)
from shop.orders.models import Payment
from shop.orders.status import PaymentStatus

pytestmark = pytest.mark.django_db

# The order of `mixed_order` without points or credit: the card paid it all.
CASH_ONLY = {"points_used": 0, "credit_used": "0"}


def _simple_order(**kwargs):
    # One line of 1,000 × 2 and one of 500; shipping 80; no coupon.
    return mixed_order(
        lines=(("1000", "1000", 2), ("500", "500", 1)),
        coupon="0",
        **{**CASH_ONLY, **kwargs},
    )


# --- Shipping -------------------------------------------------------------------


def test_shipping_comes_back_with_the_last_unit_by_default():
    order = _simple_order()

    first = inspected_return(order, {0: 2})
    preview = refund_preview(request=first)
    assert preview.shipping.amount == 0 and preview.completes_order is False
    refund_issue(request=first, actor=staff_user())
    last = inspected_return(order, {1: 1})

    preview = refund_preview(request=last)
    assert preview.completes_order is True
    assert preview.shipping.amount == Decimal(80)
    assert preview.to_payment == Decimal(580)


def test_cooling_off_rule_refunds_shipping_once_inside_the_period():
    return_policy_update(shipping_refund_rule="cooling_off")
    order = _simple_order()

    refund = refund_issue(request=inspected_return(order, {0: 1}), actor=staff_user())
    again = refund_issue(request=inspected_return(order, {1: 1}), actor=staff_user())

    assert (refund.shipping_refunded, refund.to_payment) == (Decimal(80), Decimal(1080))
    assert (again.shipping_refunded, again.to_payment) == (0, Decimal(500))


def test_cooling_off_rule_refunds_no_shipping_after_the_period():
    return_policy_update(shipping_refund_rule="cooling_off")
    order = _simple_order(delivered_days_ago=10)

    preview = refund_preview(request=inspected_return(order, {0: 2, 1: 1}))

    assert preview.shipping.amount == 0


def test_never_rule_keeps_the_shipping_even_when_everything_comes_back():
    return_policy_update(shipping_refund_rule="never")
    order = _simple_order()

    preview = refund_preview(request=inspected_return(order, {0: 2, 1: 1}))

    assert preview.completes_order is True
    assert preview.shipping.amount == 0
    assert preview.total == Decimal(2500)


# --- Fees -----------------------------------------------------------------------


def test_no_fee_inside_the_cooling_off_period():
    return_policy_update(restocking_fee_percent=Decimal(10), return_shipping_fee=60)
    order = _simple_order(delivered_days_ago=1)

    preview = refund_preview(request=inspected_return(order, {0: 1}))

    assert preview.fees == 0
    assert preview.to_payment == Decimal(1000)


def test_fees_outside_the_cooling_off_period():
    return_policy_update(restocking_fee_percent=Decimal(10), return_shipping_fee=60)
    order = _simple_order(delivered_days_ago=10)
    request = inspected_return(order, {0: 2})

    preview = refund_preview(request=request)
    refund = refund_issue(request=request, actor=staff_user())

    # 10 % of 2,000, and the return shipping once for the request.
    assert (preview.restocking_fee, preview.return_shipping_fee) == (
        Decimal(200),
        Decimal(60),
    )
    assert (refund.fees, refund.total, refund.to_payment) == (
        Decimal(260),
        Decimal(1740),
        Decimal(1740),
    )


def test_no_fee_for_a_faulty_item_outside_the_cooling_off_period():
    return_policy_update(restocking_fee_percent=Decimal(10), return_shipping_fee=60)
    order = _simple_order(delivered_days_ago=10)
    request = inspected_return(order, {0: 2}, reason=ReturnReason.DEFECTIVE)

    preview = refund_preview(request=request)

    assert preview.fees == 0
    assert preview.to_payment == Decimal(2000)


def test_fees_never_take_more_than_the_cash_part():
    return_policy_update(restocking_fee_percent=Decimal(10), return_shipping_fee=60)
    user_order = mixed_order(
        user=member_with_wallet(credit="1000"),
        lines=(("100", "100", 1), ("1000", "1000", 1)),
        coupon="0",
        points_used=0,
        credit_used="1000",
        delivered_days_ago=10,
    )

    preview = refund_preview(request=inspected_return(user_order, {0: 1}))

    # The 100 line was paid 91 with credit: the fees stop at its 9 of cash.
    assert (preview.value, preview.credit_restored) == (Decimal(100), Decimal(91))
    assert (preview.restocking_fee, preview.return_shipping_fee) == (
        Decimal(9),
        Decimal(0),
    )
    assert preview.to_payment == 0
    assert preview.total == Decimal(91)


# --- Shopping credit instead of money ---------------------------------------------


def test_credit_resolution_gives_the_cash_part_as_credit_with_the_bonus():
    return_policy_update(credit_bonus_percent=Decimal(10))
    order = mixed_order()
    user = order.user
    before = Membership.objects.get(user=user).credit_balance

    refund = refund_issue(
        request=inspected_return(order, {0: 1}, resolution="credit"),
        actor=staff_user(),
    )

    # 682 cash and 58 credit as credit, 69 points as points; 10 % of 682 on top.
    assert refund.status == RefundStatus.SUCCEEDED
    assert (refund.to_payment, refund.to_credit, refund.credit_bonus) == (
        0,
        Decimal(740),
        Decimal("68.00"),
    )
    assert refund.points_restored == 69
    assert Membership.objects.get(user=user).credit_balance == before + Decimal(808)
    assert list(
        CreditEntry.objects.filter(order=order)
        .order_by("pk")
        .values_list("kind", "amount")
    ) == [
        ("spend", Decimal(-250)),
        ("restore", Decimal(58)),
        ("grant", Decimal(682)),
        ("grant", Decimal(68)),
    ]
    # Nothing went back to the card.
    assert Payment.objects.get(order=order).status == PaymentStatus.PAID
    assert credit_reconcile() == []


def test_a_flagged_serial_returner_gets_no_bonus_when_the_policy_says_so():
    return_policy_update(
        credit_bonus_percent=Decimal(10), serial_returner_suspends_credit_bonus=True
    )
    order = mixed_order()
    SerialReturner.objects.create(
        user=order.user,
        units_bought=10,
        units_returned=6,
        returns_count=4,
        flagged_at=order.placed_at,
    )

    preview = refund_preview(
        request=inspected_return(order, {0: 1}, resolution="credit")
    )

    assert (preview.credit_converted, preview.credit_bonus) == (Decimal(682), 0)


# --- Earned points already spent --------------------------------------------------


def _order_with_spent_points():
    """A delivered order whose 323 earned points (222 on the first line) are
    available and spent, like everything else the member had."""
    programme_set(earn_points=10)
    order = mixed_order()
    points.points_release_for_order(order=order)
    membership = Membership.objects.get(user=order.user)
    points.points_adjust(
        user=order.user,
        points=-membership.points_available,
        reason="Spent in the shop",
        actor=None,
    )
    return order


def test_spent_points_make_the_balance_negative_by_default():
    order = _order_with_spent_points()
    request = inspected_return(order, {0: 1})

    preview = refund_preview(request=request)
    refund = refund_issue(request=request, actor=staff_user())

    # The unit earned 74; its 69 redeemed points come back first and pay
    # for 69 of them; 5 are owed.
    assert preview.points_reversal == points.PointsReversal(reversed=74, short=5)
    assert preview.points_deduction == 0
    assert (refund.points_reversed, refund.points_deduction) == (74, 0)
    assert refund.to_payment == Decimal(682)
    assert Membership.objects.get(user=order.user).points_available == -5
    assert points_lot_differences() == []


def test_spent_points_are_deducted_from_the_refund_when_the_policy_says_so():
    return_policy_update(reversed_points_rule="deduct")
    order = _order_with_spent_points()
    request = inspected_return(order, {0: 1})

    preview = refund_preview(request=request)
    refund = refund_issue(request=request, actor=staff_user())

    assert preview.points_deduction == Decimal(5)
    assert (refund.points_deduction, refund.to_payment, refund.total) == (
        Decimal(5),
        Decimal(677),
        Decimal(804),
    )
    assert Membership.objects.get(user=order.user).points_available == 0
    # The 5 points are recorded as paid, so the balance stays at zero.
    reversal = PointsEntry.objects.get(order=order, kind="reverse")
    covered = PointsEntry.objects.get(order=order, kind="adjust")
    assert (reversal.points, covered.points) == (-74, 5)
    assert covered.idempotency_key == f"{reversal.idempotency_key}:covered"
    assert points_lot_differences() == []
