"""Delivered orders and return requests in every state, for the returns tests.

Orders are built by `shop.orders.tests.factories.order_with_lines` and moved
through the real order services (paid, shipped, delivered), so the loyalty
receivers run as in the shop; the return policy is snapshotted as placement
does. Return requests are moved through the returns services only, so each
state has the rows (units, events, reservations, stock movements) the
services write.

Public helpers (other test folders import them; keep their signatures):
`staff_user`, `staff_in`, `login`, `delivered_order`, `return_request_make`,
`line_input`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from loyalty.tests.factories import member_create
from returns.models import (
    Resolution,
    ReturnMethod,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    UnitCondition,
)
from shop.accounts.tests.factories import StaffFactory
from shop.catalog.tests.factories import VariantFactory
from shop.orders.models import Order, ShippingKind
from shop.orders.services import order_mark_delivered, order_mark_paid, order_ship
from shop.orders.tests.factories import order_with_lines

BANK = {"bank_code": "812", "account_name": "王小明", "account_number": "0012345678901"}


def staff_user(**fields):
    """A staff member who handles returns (a plain staff account)."""
    return StaffFactory(**fields)


def staff_in(role: str, email: str):
    """A member of staff in `role` (the groups the roles migration made)."""
    user = StaffFactory(email=email, name=email.split("@")[0])
    user.groups.set(Group.objects.filter(name=role))
    return user


def login(client, user):
    """Sign `client` in as `user`, the pages in English."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def delivered_order(
    *,
    user=None,
    guest: bool = False,
    items=None,
    payment_method: str = "card",
    delivered_at: datetime | None = None,
    pickup: bool = False,
    **fields,
) -> Order:
    """A paid, shipped and delivered order, its return policy snapshotted.

    `user` defaults to a new member (`guest=True`: no account, the order's
    email only). `items` is a list of (variant, quantity), by default two
    lines: 1280 × 2 and 450 × 1 (`order_with_lines`). Each line copies its
    product's `non_returnable_reason`, as placement does. `pickup=True` makes
    it a 7-ELEVEN pickup order (no street address). `delivered_at` (default:
    a day ago) is when the windows start counting.
    """
    from returns.services import order_return_policy_snapshot

    if not guest and user is None:
        user = member_create()
    if user is not None:
        fields.setdefault("email", user.email)
    if pickup:
        fields.update(
            shipping_method_code="cvs-711",
            shipping_method_name="7-ELEVEN 超商取貨",
            shipping_kind=ShippingKind.CVS_711,
            postal_code="",
            city="",
            district="",
            street="",
            pickup_store_code="131386",
            pickup_store_name="復興門市",
        )
    order = order_with_lines(
        items=items, payment_method=payment_method, user=user, **fields
    )
    for line in order.lines.select_related("product"):
        if line.product is not None and line.product.non_returnable_reason:
            line.non_returnable_reason = line.product.non_returnable_reason
            line.save(update_fields=["non_returnable_reason"])
    # Placement writes the snapshot from its order_placed receiver.
    order_return_policy_snapshot(order=order)
    if payment_method != "cod":
        order_mark_paid(order=order)
    order_ship(order=order, carrier="黑貓宅急便", tracking_number="900100200300")
    order_mark_delivered(order=order)
    when = delivered_at or timezone.now() - timedelta(days=1)
    Order.objects.filter(pk=order.pk).update(delivered_at=when)
    order.delivered_at = when
    return order


def line_input(line, quantity: int = 1, reason: str = ReturnReason.CHANGED_MIND, **kw):
    """A `ReturnLineInput` for order line `line`."""
    from returns.services import ReturnLineInput

    return ReturnLineInput(
        order_line_id=line.pk, quantity=quantity, reason=reason, **kw
    )


def exchange_variant_for(line, *, stock: int = 5, price: Decimal | None = None):
    """Another active variant of the line's product, with stock."""
    return VariantFactory(
        product=line.product,
        price=price if price is not None else line.unit_price,
        stock=stock,
        option1="另一個選項",
    )


# The services that take a request from one state to the next, in order.
_PATH = [
    ReturnStatus.REQUESTED,
    ReturnStatus.APPROVED,
    ReturnStatus.IN_TRANSIT,
    ReturnStatus.RECEIVED,
    ReturnStatus.INSPECTED,
    ReturnStatus.RESOLVED,
    ReturnStatus.CLOSED,
]


def return_request_make(
    *,
    status: str = ReturnStatus.REQUESTED,
    order: Order | None = None,
    user=None,
    resolution: str = Resolution.REFUND,
    method: str = ReturnMethod.CVS_CODE,
    quantity: int = 1,
    line_index: int = 0,
    reason: str = ReturnReason.CHANGED_MIND,
    condition: str = UnitCondition.RESTOCK,
    actor=None,
    now: datetime | None = None,
) -> ReturnRequest:
    """A return of `quantity` units of the order's `line_index`th line, in `status`.

    `order` defaults to a new `delivered_order()` (a member's, paid by card);
    the request belongs to the order's customer (or `user`). Exchange
    requests get another variant of the same product (stock reserved). A
    bank account is given whenever the order was paid by cash on delivery or
    ATM. States after "received" inspect every unit as `condition`;
    "resolved" and "closed" go through `exchange_fulfil` for exchanges and
    `refund_issue` (returns.services.refunds) otherwise.
    """
    from returns import services

    if order is None:
        order = delivered_order()
    lines = list(order.lines.order_by("pk"))
    line = lines[line_index]
    exchange_variant_id = None
    if resolution == Resolution.EXCHANGE:
        exchange_variant_id = exchange_variant_for(line).pk
    bank = None
    if order.payment_method in ("cod", "atm"):
        bank = services.BankAccount(**BANK)
    owner = user if user is not None else order.user
    request = services.return_request_create(
        order=order,
        user=owner,
        email=order.email,
        lines=[
            line_input(
                line,
                quantity,
                reason,
                reason_text="尺寸不合" if reason == ReturnReason.OTHER else "",
                exchange_variant_id=exchange_variant_id,
            )
        ],
        resolution=resolution,
        method=method,
        bank=bank,
        now=now,
    )
    if status == ReturnStatus.REQUESTED:
        return request
    actor = actor or staff_user()
    if status == ReturnStatus.CANCELLED:
        return services.return_request_cancel(request=request, user=owner)
    if status == ReturnStatus.REJECTED:
        return services.return_request_reject(
            request=request, actor=actor, reason="照片顯示商品已使用過。"
        )
    request = services.return_request_approve(request=request, actor=actor)
    if status == ReturnStatus.EXPIRED:
        services.return_requests_expire(now=request.ship_by + timedelta(seconds=1))
        request.refresh_from_db()
        return request
    if _PATH.index(status) >= _PATH.index(ReturnStatus.IN_TRANSIT):
        request = services.return_request_mark_shipped(
            request=request, tracking_number="RT123456789TW", actor=owner
        )
    unit_ids = list(
        request.lines.values_list("units__pk", flat=True).order_by("units__pk")
    )
    if _PATH.index(status) >= _PATH.index(ReturnStatus.RECEIVED):
        request = services.return_units_receive(
            request=request, received_unit_ids=unit_ids, actor=actor
        )
    if _PATH.index(status) >= _PATH.index(ReturnStatus.INSPECTED):
        request = services.return_units_inspect(
            request=request,
            conditions={unit_id: condition for unit_id in unit_ids},
            actor=actor,
        )
    if _PATH.index(status) >= _PATH.index(ReturnStatus.RESOLVED):
        if resolution == Resolution.EXCHANGE:
            request = services.exchange_fulfil(request=request, actor=actor)
        else:
            from returns.services.refunds import refund_issue

            refund_issue(request=request, actor=actor)
            request.refresh_from_db()
    if status == ReturnStatus.CLOSED:
        request = services.return_request_close(request=request, actor=actor)
    return request
