"""A whole order returned in two returns gives back exactly what was paid, per tender.

The order (see `support.mixed_order`): three lines, one at a member price
(900 instead of 1,000) × 3, 450 × 2 and 333 × 1 (subtotal 3,933); a coupon
of 400; shipping 80; 301 points (NT$1 each) and NT$250 of shopping credit.
The card paid 3,062. The allocation table shares each adjustment over the
lines by what they still cost:

    line           coupon  points  credit
    900 × 3          −275    −207    −172
    450 × 2           −91     −69     −57
    333 × 1           −34     −25     −21

With 10 points per NT$100 the order earned 323 points on its cash and
credit part (3,062 − 80 shipping + 250 credit = 3,232): 222, 74 and 27 on
the three lines' pending lots. The member's 500 points sat in two lots
(200 expiring first, then 300): the redemption took 200 and 101.
"""

from decimal import Decimal

import pytest

from loyalty.credit.services import credit_reconcile
from loyalty.models import (
    CreditLot,
    Membership,
    PointsEntry,
    PointsLot,
    QualifyingSpend,
)
from loyalty.services import points
from loyalty.services.points import points_lot_differences, points_reconcile
from loyalty.tests.points_support import programme_set
from returns.errors import ReturnError
from returns.models import (
    RefundStatus,
    RefundUnit,
    ReturnStatus,
    UnitCondition,
)
from returns.services.refunds import order_units, refund_issue, refund_preview
from returns.tests.factories import return_request_make, staff_user
from returns.tests.money.support import inspected_return, mixed_order
from shop.orders.models import (
    AdjustmentKind,
    OrderAdjustment,
    OrderAdjustmentAllocation,
    Payment,
)
from shop.orders.status import PaymentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ten_points_per_hundred():
    programme_set(earn_points=10)


def _lots(user):
    """(points, remaining, status) of the member's lots, oldest first."""
    return list(
        PointsLot.objects.filter(membership__user=user)
        .order_by("pk")
        .values_list("points", "remaining", "status")
    )


def _ledgers_reconcile():
    assert points_reconcile() == []
    assert points_lot_differences() == []
    assert credit_reconcile() == []


def test_every_unit_of_a_line_adds_up_to_the_line():
    order = mixed_order()
    units = order_units(order=order)

    assert units.unit_count == 6
    line_a, line_b, line_c = order.lines.order_by("pk")
    a = [units.unit(line_a.pk, index) for index in range(3)]
    # The running-total split: 2,700 − 275 = 2,425 over three units.
    assert [u.merchandise for u in a] == [Decimal(900)] * 3
    assert [u.value for u in a] == [Decimal(809), Decimal(808), Decimal(808)]
    assert [u.points_paid for u in a] == [Decimal(69)] * 3
    assert [u.points for u in a] == [69, 69, 69]
    assert [u.credit_paid for u in a] == [Decimal(58), Decimal(57), Decimal(57)]
    assert [u.cash for u in a] == [Decimal(682)] * 3
    b = [units.unit(line_b.pk, index) for index in range(2)]
    assert [u.value for u in b] == [Decimal(405), Decimal(404)]
    assert [u.points for u in b] == [35, 34]
    assert [u.credit_paid for u in b] == [Decimal(28), Decimal(29)]
    assert [u.cash for u in b] == [Decimal(342), Decimal(341)]
    c = units.unit(line_c.pk, 0)
    assert (c.value, c.points, c.credit_paid, c.cash) == (
        Decimal(299),
        25,
        Decimal(21),
        Decimal(253),
    )
    everything = list(units.units.values())
    assert sum(u.cash for u in everything) + units.shipping.cash == order.total
    assert sum(u.points for u in everything) == 301
    assert sum(u.credit_paid for u in everything) == Decimal(250)
    coupon = next(iter(units.discounts))
    assert sum(u.discounts[coupon] for u in everything) == Decimal(-400)


def test_one_unit_then_the_rest_refund_exactly_what_was_paid():
    order = mixed_order()
    user = order.user
    staff = staff_user()
    assert order.total == Decimal("3062.00")
    assert _lots(user) == [
        (200, 0, "available"),
        (300, 199, "available"),
        (222, 222, "pending"),
        (74, 74, "pending"),
        (27, 27, "pending"),
    ]

    # One unit of the member-priced line, while its points are still pending.
    first = inspected_return(order, {0: 1})
    preview = refund_preview(request=first)
    assert (preview.value, preview.to_payment, preview.credit_restored) == (
        Decimal(809),
        Decimal(682),
        Decimal(58),
    )
    assert (preview.points_restored, preview.points_value) == (69, Decimal(69))
    assert preview.points_reversal == points.PointsReversal(pending_cancelled=74)
    assert preview.shipping.amount == 0
    assert [(line.title, line.discounts) for line in preview.lines] == [
        (preview.lines[0].title, (("折價券 SPRING", Decimal(-91)),))
    ]
    refund = refund_issue(request=first, actor=staff)

    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.gateway_reference.startswith("SBXR")
    assert (refund.total, refund.to_payment, refund.to_credit) == (
        Decimal(809),
        Decimal(682),
        Decimal(58),
    )
    assert (refund.points_restored, refund.points_reversed) == (69, 74)
    assert refund.shipping_refunded == 0 and refund.fees == 0
    first.refresh_from_db()
    assert first.status == ReturnStatus.RESOLVED
    # Redeemed points back to the latest-expiring lot first; the line's
    # pending lot loses one unit's share (222 / 3).
    assert _lots(user) == [
        (200, 0, "available"),
        (300, 268, "available"),
        (222, 148, "pending"),
        (74, 74, "pending"),
        (27, 27, "pending"),
    ]
    assert Payment.objects.get(order=order).status == PaymentStatus.PARTIALLY_REFUNDED
    _ledgers_reconcile()

    # The cooling-off period ends: the rest of the earned points are available.
    points.points_release_for_order(order=order)
    second = inspected_return(order, {0: 2, 1: 2, 2: 1})
    refund_2 = refund_issue(request=second, actor=staff)

    # Everything is back now, shipping included (the default rule).
    assert refund_2.shipping_refunded == Decimal(80)
    assert (refund_2.total, refund_2.to_payment, refund_2.to_credit) == (
        Decimal(2804),
        Decimal(2380),
        Decimal(192),
    )
    assert (refund_2.points_restored, refund_2.points_reversed) == (232, 249)
    assert refund.to_payment + refund_2.to_payment == order.total
    assert refund.to_credit + refund_2.to_credit == Decimal(250)
    assert refund.points_restored + refund_2.points_restored == 301
    assert refund.total + refund_2.total == Decimal(3933 - 400 + 80)
    assert RefundUnit.objects.filter(order_line__order=order).count() == 6
    assert _lots(user) == [
        (200, 200, "available"),
        (300, 300, "available"),
        (222, 0, "reversed"),
        (74, 0, "reversed"),
        (27, 0, "reversed"),
    ]
    reversals = PointsEntry.objects.filter(order=order, kind="reverse").order_by("pk")
    assert list(reversals.values_list("points", "pending_points")) == [
        (0, -74),
        (-148, 0),
        (-74, 0),
        (-27, 0),
    ]
    membership = Membership.objects.get(user=user)
    assert (membership.points_available, membership.points_pending) == (500, 0)
    assert membership.credit_balance == Decimal(300)
    assert list(
        CreditLot.objects.filter(membership=membership).values_list(
            "amount", "remaining"
        )
    ) == [(Decimal(300), Decimal(300))]
    # Qualifying spend: 3,062 − 80 counted, then 682 and 2,300 removed.
    assert list(
        QualifyingSpend.objects.filter(order=order)
        .order_by("pk")
        .values_list("amount", flat=True)
    ) == [Decimal(2982), Decimal(-682), Decimal(-2300)]
    assert membership.total_spend == 0
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.REFUNDED
    assert len(payment.data["sandbox_refunds"]) == 2
    _ledgers_reconcile()


def test_the_preview_before_inspection_counts_every_unit_asked_back():
    order = mixed_order()
    request = return_request_make(
        status=ReturnStatus.APPROVED, order=order, quantity=2, line_index=1
    )

    preview = refund_preview(request=request)

    assert preview.estimate is True
    assert [u.unit_index for u in preview.units] == [0, 1]
    assert (preview.value, preview.to_payment) == (Decimal(809), Decimal(683))


@pytest.mark.parametrize(
    ("reason", "conditions", "refunded"),
    [
        # Sent back in a state to resell: refunded.
        ("changed_mind", {0: UnitCondition.RESTOCK}, [0, 1]),
        # The shopper sent something else: never refunded.
        ("changed_mind", {0: UnitCondition.WRONG_ITEM}, [1]),
        # Damaged: refunded when the shop is answerable for the damage.
        ("changed_mind", {0: UnitCondition.DAMAGED}, [1]),
        ("defective", {0: UnitCondition.DAMAGED}, [0, 1]),
        ("damaged", {0: UnitCondition.DAMAGED}, [0, 1]),
    ],
)
def test_which_inspected_units_are_refunded(reason, conditions, refunded):
    order = mixed_order()
    request = inspected_return(order, {1: 2}, reason=reason, conditions=conditions)

    preview = refund_preview(request=request)

    assert preview.estimate is False
    assert [u.unit_index for u in preview.units] == refunded


def test_missing_units_are_not_refunded():
    order = mixed_order()
    request = inspected_return(order, {1: 2}, missing=1)

    preview = refund_preview(request=request)

    assert [u.unit_index for u in preview.units] == [0]
    assert preview.value == Decimal(405)


def _tender(order, code, amount, shares):
    adjustment = OrderAdjustment.objects.create(
        order=order,
        code=code,
        label=code,
        kind=AdjustmentKind.TENDER,
        amount=Decimal(amount),
        position=9,
    )
    for line, share in zip(order.lines.order_by("pk"), shares, strict=False):
        OrderAdjustmentAllocation.objects.create(
            adjustment=adjustment, line=line, amount=Decimal(share)
        )


def test_the_part_of_a_tender_not_on_the_lines_paid_the_shipping():
    # Credit paid 1,000 of the 950 of items and the 80 of shipping.
    order = mixed_order(
        lines=(("950", "950", 1),), coupon="0", points_used=0, credit_used="0"
    )
    _tender(order, "credit", "-1000", ["-950"])

    units = order_units(order=order)

    assert units.unit(order.lines.get().pk, 0).cash == 0
    assert (units.shipping.amount, units.shipping.credit_paid) == (
        Decimal(80),
        Decimal(50),
    )
    assert units.shipping.cash == Decimal(30)


@pytest.mark.parametrize(
    ("code", "shares", "error"),
    [
        ("gift_card", ["-10"], "unknown_tender"),
        ("credit", ["-2000"], "allocation_inconsistent"),
    ],
)
def test_tables_that_cannot_be_refunded_exactly_are_refused(code, shares, error):
    order = mixed_order(
        lines=(("950", "950", 1),), coupon="0", points_used=0, credit_used="0"
    )
    _tender(order, code, shares[0], shares)

    with pytest.raises(ReturnError) as caught:
        order_units(order=order)

    assert caught.value.code == error
