"""Orders paid every way at once, and returns taken to "inspected", for the
refund tests.

`mixed_order` builds an order as placement stores it (lines at member
prices, a coupon, shipping, points and shopping credit, each adjustment
allocated to the lines by the checkout's allocator), then runs what
placement and payment run: the policy snapshot, the points and credit taken,
the payment, the points earned and the spend counted. The coupon and credit
adjusters are written by other parts of the shop, so the rows are made here
directly rather than through checkout.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from loyalty.credit.services import credit_grant, credit_spend_for_order
from loyalty.models import CreditSource, PointsLot
from loyalty.services import points
from loyalty.tests.factories import member_create
from returns.models import ReturnReason, ReturnRequest, UnitCondition
from returns.services import (
    BankAccount,
    ReturnLineInput,
    order_return_policy_snapshot,
    return_request_approve,
    return_request_create,
    return_request_mark_shipped,
    return_units_inspect,
    return_units_receive,
)
from returns.tests.factories import staff_user
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.allocation import allocate_proportionally
from shop.orders.models import (
    AdjustmentKind,
    Order,
    OrderAdjustment,
    OrderAdjustmentAllocation,
    Payment,
)
from shop.orders.services import order_mark_delivered, order_mark_paid, order_ship
from shop.orders.tests.factories import order_with_lines

BANK = BankAccount(
    bank_code="812", account_name="王小明", account_number="0012345678901"
)
LABELS = {"coupon": "折價券 SPRING", "points": "點數折抵", "credit": "購物金"}


def member_with_wallet(*, lots=(200, 300), credit: str = "300"):
    """A member holding points in lots expiring one after the other, and credit."""
    user = member_create()
    for n, amount in enumerate(lots):
        points.points_adjust(user=user, points=amount, reason=f"Gift {n}", actor=None)
    # The first lot expires first: a redemption draws it before the second.
    soon = timezone.now() + timedelta(days=60)
    for n, lot in enumerate(
        PointsLot.objects.filter(membership__user=user).order_by("pk")
    ):
        PointsLot.objects.filter(pk=lot.pk).update(
            expires_at=soon + timedelta(days=30 * n)
        )
    if Decimal(credit):
        credit_grant(
            user=user,
            amount=Decimal(credit),
            source=CreditSource.GRANT,
            idempotency_key=f"test-credit:{user.pk}",
            reason="Welcome",
        )
    return user


def _add(order, lines, *, code, kind, amount: Decimal, data=None, position: int):
    """An adjustment allocated over `lines` by what each still costs."""
    weights = {}
    for line in lines:
        already = sum((a.amount for a in line.allocations.all()), Decimal(0))
        weights[line.pk] = line.subtotal + already
    adjustment = OrderAdjustment.objects.create(
        order=order,
        code=code,
        label=LABELS[code],
        kind=kind,
        amount=amount,
        data=data or {},
        position=position,
    )
    shares = allocate_proportionally(amount, weights, order.currency)
    OrderAdjustmentAllocation.objects.bulk_create(
        OrderAdjustmentAllocation(adjustment=adjustment, line_id=pk, amount=share)
        for pk, share in shares.items()
    )
    return adjustment


def mixed_order(
    *,
    user=None,
    lines=(("1000", "900", 3), ("450", "450", 2), ("333", "333", 1)),
    coupon: str = "400",
    points_used: int = 301,
    credit_used: str = "250",
    shipping: str = "80",
    payment_method: str = "card",
    delivered_days_ago: int = 1,
) -> Order:
    """A paid, delivered order: (list price, price paid, quantity) per line.

    A price paid below the list price is a member price, as the pricing
    pipeline freezes it on the line. Then a coupon, the shipping, points
    (NT$1 each) and shopping credit, in checkout's order.
    """
    user = user if user is not None else member_with_wallet()
    items = [
        (VariantFactory(price=Decimal(list_price), stock=10), quantity)
        for list_price, _paid, quantity in lines
    ]
    order = order_with_lines(
        items=items,
        payment_method=payment_method,
        shipping_fee=Decimal(shipping),
        user=user,
        email=user.email,
    )
    order_lines = list(order.lines.order_by("pk"))
    for line, (_list, paid, quantity) in zip(order_lines, lines, strict=True):
        if Decimal(paid) != line.unit_price:
            line.unit_price = Decimal(paid)
            line.subtotal = Decimal(paid) * quantity
            line.price_label = "金卡會員價"
            line.save(update_fields=["unit_price", "subtotal", "price_label"])
    subtotal = sum((line.subtotal for line in order_lines), Decimal(0))
    position = order.adjustments.count()
    total = subtotal + Decimal(shipping)
    discount = Decimal(0)
    if Decimal(coupon):
        _add(
            order,
            order_lines,
            code="coupon",
            kind=AdjustmentKind.DISCOUNT,
            amount=-Decimal(coupon),
            data={"coupon": "SPRING"},
            position=position,
        )
        discount = -Decimal(coupon)
        position += 1
    if points_used:
        _add(
            order,
            order_lines,
            code="points",
            kind=AdjustmentKind.TENDER,
            amount=-Decimal(points_used),
            data={"points": points_used, "point_value": "1"},
            position=position,
        )
        position += 1
    if Decimal(credit_used):
        _add(
            order,
            order_lines,
            code="credit",
            kind=AdjustmentKind.TENDER,
            amount=-Decimal(credit_used),
            data={"credit": credit_used},
            position=position,
        )
    total += discount - points_used - Decimal(credit_used)
    Order.objects.filter(pk=order.pk).update(
        subtotal=subtotal, discount_total=discount, total=total
    )
    Payment.objects.filter(order=order).update(amount=total)
    order.refresh_from_db()
    # What the order_placed receivers do inside placement.
    order_return_policy_snapshot(order=order)
    points.points_redeem_for_order(order=order)
    credit_spend_for_order(order=order)
    if payment_method != "cod":
        order_mark_paid(order=order)
    order_ship(order=order, carrier="黑貓宅急便", tracking_number="900100200300")
    order_mark_delivered(order=order)
    delivered = timezone.now() - timedelta(days=delivered_days_ago)
    Order.objects.filter(pk=order.pk).update(delivered_at=delivered)
    order.refresh_from_db()
    return order


def inspected_return(
    order: Order,
    quantities: dict[int, int],
    *,
    resolution: str = "refund",
    reason: str = ReturnReason.CHANGED_MIND,
    conditions: dict[int, str] | None = None,
    missing: int = 0,
    actor=None,
) -> ReturnRequest:
    """Ask back `quantities` ({line index: units}), then approve, receive, inspect.

    Every unit is restocked unless `conditions` ({unit position: condition},
    in unit order) says otherwise; the last `missing` units never arrive.
    """
    lines = list(order.lines.order_by("pk"))
    request = return_request_create(
        order=order,
        user=order.user,
        email=order.email,
        lines=[
            ReturnLineInput(
                order_line_id=lines[index].pk, quantity=quantity, reason=reason
            )
            for index, quantity in quantities.items()
        ],
        resolution=resolution,
        method="cvs",
        bank=BANK if order.payment_method in ("cod", "atm") else None,
    )
    actor = actor or staff_user()
    request = return_request_approve(request=request, actor=actor)
    request = return_request_mark_shipped(
        request=request, tracking_number="RT123456789TW", actor=order.user
    )
    unit_ids = list(
        request.lines.values_list("units__pk", flat=True).order_by("units__pk")
    )
    arrived = unit_ids[: len(unit_ids) - missing]
    request = return_units_receive(
        request=request,
        received_unit_ids=arrived,
        missing_unit_ids=unit_ids[len(arrived) :],
        actor=actor,
    )
    wanted = conditions or {}
    return return_units_inspect(
        request=request,
        conditions={
            pk: wanted.get(n, UnitCondition.RESTOCK) for n, pk in enumerate(arrived)
        },
        actor=actor,
    )
