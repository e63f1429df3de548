"""What a return refunds, line by line, before anyone confirms it.

Which units are refunded: after inspection, the units inspected as
"restock", and those inspected as "damaged" when the shopper returned them
as defective or damaged in transit (the shop's fault); never a unit
inspected as "wrong item" (the shopper sent something else) nor a missing
one. Before inspection (the shopper's pages) every requested unit not
flagged missing is counted: the preview is then an estimate.

The money, from the units' values (`units`):
- Shipping, refunded whole and once per order, by the order's policy
  snapshot: "all_returned" when this refund completes the return of every
  unit of the order; "cooling_off" when every unit of this request was asked
  back inside the cooling-off period (鑑賞期); "never".
- Fees only for units asked back outside the cooling-off period for a reason
  that is not a fault (a defective, damaged or not-as-described item costs
  the shopper nothing): the restocking fee (% of those units' value) and the
  return shipping fee once per request, never more than the cash part.
- Spent points: the earned points of the returned units are taken back
  (pending ones cancelled); what was already spent with nothing left to
  take it from is, by the policy's `reversed_points_rule`, either a negative
  balance or deducted from the refund at the points' value (cash first,
  then credit).
- Tender split: the points-paid part back as points (to the lots they came
  from), the credit-paid part back as credit, the rest to the original
  payment; or, when the shopper chose shopping credit, that rest as credit
  too, plus the policy's bonus on it (none for a flagged serial returner
  when the policy suspends it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from loyalty.selectors.programme import programme
from loyalty.services.points import PointsReversal, points_reversal_preview
from returns.models import (
    OrderReturnPolicy,
    Refund,
    RefundUnit,
    Resolution,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    ReturnUnit,
    ReversedPointsRule,
    SerialReturner,
    ShippingRefundRule,
    UnitCondition,
)
from returns.selectors import return_policy
from returns.services.policy import order_return_policy_snapshot
from returns.services.refunds.units import (
    OrderUnits,
    ShippingPaid,
    UnitValue,
    order_units,
)
from returns.services.windows import FAULT_REASONS
from shop.checkout.errors import PaymentError
from shop.checkout.payments import payment_gateway
from shop.core.money import money_round

ZERO = Decimal(0)
# A damaged unit is refunded when the damage is the shop's doing.
DAMAGE_REFUNDED_REASONS = frozenset(
    {ReturnReason.DEFECTIVE, ReturnReason.DAMAGED_IN_TRANSIT}
)
# How the money part goes back.
VIA_GATEWAY, VIA_TRANSFER, VIA_NONE = "gateway", "transfer", "none"


@dataclass(frozen=True)
class PreviewLine:
    """The refunded units of one order line, added up."""

    order_line_id: int
    title: str
    unit_indexes: tuple[int, ...]
    merchandise: Decimal
    # (adjustment label, signed share) for each discount of the order.
    discounts: tuple[tuple[str, Decimal], ...]
    value: Decimal
    points_paid: Decimal
    points: int
    credit_paid: Decimal
    cash: Decimal
    in_cooling_off: bool


@dataclass(frozen=True)
class RefundPreview:
    """Every figure of a refund; `total` = to_payment + to_credit + points_value."""

    request_id: int
    currency: str
    resolution: str
    # Before inspection the units are the requested ones: an estimate.
    estimate: bool
    computed_at: datetime
    lines: tuple[PreviewLine, ...]
    units: tuple[UnitValue, ...]
    value: Decimal
    shipping: ShippingPaid
    restocking_fee: Decimal
    return_shipping_fee: Decimal
    points_reversal: PointsReversal
    reversed_points_rule: str
    points_deduction: Decimal
    points_restored: int
    points_value: Decimal
    credit_restored: Decimal
    credit_converted: Decimal
    credit_bonus: Decimal
    to_payment: Decimal
    total: Decimal
    spend_reduction: Decimal
    completes_order: bool
    refund_via: str

    @property
    def fees(self) -> Decimal:
        return self.restocking_fee + self.return_shipping_fee

    @property
    def to_credit(self) -> Decimal:
        """Credit given back or given, without the bonus."""
        return self.credit_restored + self.credit_converted

    @property
    def unit_keys(self) -> list[tuple[int, int]]:
        return [(u.order_line_id, u.unit_index) for u in self.units]

    @property
    def units_by_line(self) -> dict[int, int]:
        return units_by_line(self.units)


def unit_refundable(unit: ReturnUnit, reason: str) -> bool:
    """Whether an inspected unit is refunded (see the module docstring)."""
    if unit.missing or unit.received_at is None:
        return False
    if unit.condition == UnitCondition.RESTOCK:
        return True
    return unit.condition == UnitCondition.DAMAGED and reason in DAMAGE_REFUNDED_REASONS


def _estimate(request: ReturnRequest) -> bool:
    return request.status in (
        ReturnStatus.REQUESTED,
        ReturnStatus.APPROVED,
        ReturnStatus.IN_TRANSIT,
        ReturnStatus.RECEIVED,
    )


@dataclass(frozen=True)
class RequestUnits:
    """The units a request refunds, and what the preview needs about them."""

    # (order line id, unit index), in order. Units refunded before are not
    # left out: refunding one again is refused by the database, loudly.
    chosen: list[tuple[int, int]]
    # Order line id → asked back inside the cooling-off period.
    cooling: dict[int, bool]
    # Order line id → no fee may be charged (cooling-off period, or a fault).
    fee_free: dict[int, bool]
    estimate: bool


def request_units(request: ReturnRequest) -> RequestUnits:
    """Which units of `request` are refunded (see the module docstring)."""
    estimate = _estimate(request)
    chosen, cooling, fee_free = [], {}, {}
    for line in request.lines.prefetch_related("units").order_by("pk"):
        cooling[line.order_line_id] = line.in_cooling_off
        fee_free[line.order_line_id] = (
            line.in_cooling_off or line.reason in FAULT_REASONS
        )
        for unit in line.units.all():
            if not unit.missing if estimate else unit_refundable(unit, line.reason):
                chosen.append((line.order_line_id, unit.unit_index))
    return RequestUnits(
        chosen=sorted(chosen), cooling=cooling, fee_free=fee_free, estimate=estimate
    )


def _serial_returner(request: ReturnRequest) -> bool:
    return (
        request.user_id is not None
        and return_policy().serial_returner_suspends_credit_bonus
        and SerialReturner.objects.filter(
            user_id=request.user_id, cleared_at__isnull=True
        ).exists()
    )


def _refund_via(order, resolution: str, to_payment: Decimal) -> str:
    if resolution == Resolution.CREDIT or to_payment <= 0:
        return VIA_NONE
    try:
        gateway = payment_gateway(order.payment_method)
    except PaymentError:
        return VIA_TRANSFER
    return VIA_GATEWAY if getattr(gateway, "supports_refund", False) else VIA_TRANSFER


def _shipping(order, policy, units, chosen, cooling) -> tuple[ShippingPaid, bool]:
    """The shipping refunded now, and whether this refund completes the order."""
    done = RefundUnit.objects.filter(order_line__order_id=order.pk).count()
    completes = done + len(chosen) >= units.unit_count and bool(chosen)
    nothing = ShippingPaid(amount=ZERO)
    if not chosen or units.shipping.amount <= 0:
        return nothing, completes
    if Refund.objects.filter(order=order, shipping_refunded__gt=0).exists():
        return nothing, completes
    rule = policy.shipping_refund_rule
    if rule == ShippingRefundRule.ALL_RETURNED and completes:
        return units.shipping, completes
    if rule == ShippingRefundRule.COOLING_OFF and cooling and all(cooling.values()):
        return units.shipping, completes
    return nothing, completes


def _line_rows(units: OrderUnits, chosen_units, cooling) -> tuple[PreviewLine, ...]:
    by_line: dict[int, list[UnitValue]] = {}
    for unit in chosen_units:
        by_line.setdefault(unit.order_line_id, []).append(unit)
    rows = []
    for line_id, line_units in by_line.items():
        line = units.lines[line_id]

        def total(name, items=line_units):
            return sum((getattr(u, name) for u in items), ZERO)

        rows.append(
            PreviewLine(
                order_line_id=line_id,
                title=f"{line.product_title} {line.variant_label}".strip(),
                unit_indexes=tuple(u.unit_index for u in line_units),
                merchandise=total("merchandise"),
                discounts=tuple(
                    (adjustment.label, sum((u.discounts[pk] for u in line_units), ZERO))
                    for pk, adjustment in units.discounts.items()
                    if any(u.discounts.get(pk) for u in line_units)
                ),
                value=total("value"),
                points_paid=total("points_paid"),
                points=sum(u.points for u in line_units),
                credit_paid=total("credit_paid"),
                cash=total("cash"),
                in_cooling_off=cooling.get(line_id, False),
            )
        )
    return tuple(rows)


def refund_preview(
    *, request: ReturnRequest, now: datetime | None = None
) -> RefundPreview:
    """Every line of what `request` refunds, as `refund_issue` would write it.

    Writes nothing (except the order's policy snapshot, for an order placed
    before the returns app existed). The points figures are estimated
    without the member's lock; `refund_issue` takes them again under it.
    Once the request is resolved its Refund holds what really happened.
    """
    inputs = preview_inputs(request=request, now=now)
    return preview_build(**inputs, reversal=reversal_preview(inputs))


def reversal_preview(inputs: dict) -> PointsReversal:
    """The points reversal `preview_inputs` lead to, estimated (no writes).

    The redeemed points the refund gives back come first, so they pay for
    earned points already spent before anything counts as short.
    """
    order = inputs["order"]
    counts = units_by_line(inputs["chosen_units"])
    if order.user_id is None or not counts:
        return PointsReversal()
    restoring = sum(u.points for u in inputs["chosen_units"])
    restoring += inputs["shipping"].points
    return points_reversal_preview(order=order, units=counts, restoring=restoring)


def units_by_line(units) -> dict[int, int]:
    """{order line id: number of units} of `units`."""
    counts: dict[int, int] = {}
    for unit in units:
        counts[unit.order_line_id] = counts.get(unit.order_line_id, 0) + 1
    return counts


def preview_inputs(*, request: ReturnRequest, now: datetime | None = None) -> dict:
    """What `preview_build` needs besides the points reversal (reads only)."""
    order = request.order
    policy = order_return_policy_snapshot(order=order)
    units = order_units(order=order)
    found = request_units(request)
    shipping, completes = _shipping(order, policy, units, found.chosen, found.cooling)
    return {
        "request": request,
        "order": order,
        "policy": policy,
        "units": units,
        "chosen_units": [units.unit(line, index) for line, index in found.chosen],
        "cooling": found.cooling,
        "fee_free": found.fee_free,
        "shipping": shipping,
        "completes": completes,
        "estimate": found.estimate,
        "now": now or timezone.now(),
    }


def preview_build(
    *,
    request: ReturnRequest,
    order,
    policy: OrderReturnPolicy,
    units: OrderUnits,
    chosen_units: list[UnitValue],
    cooling: dict[int, bool],
    fee_free: dict[int, bool],
    shipping: ShippingPaid,
    completes: bool,
    reversal: PointsReversal,
    estimate: bool,
    now: datetime,
) -> RefundPreview:
    """The money of a refund from its units and its points reversal."""
    currency = order.currency

    def total(name, items=chosen_units):
        return sum((getattr(u, name) for u in items), ZERO)

    value = total("value")
    cash = total("cash") + shipping.cash
    credit = total("credit_paid") + shipping.credit_paid
    outside = [u for u in chosen_units if not fee_free.get(u.order_line_id, False)]
    restocking = ZERO
    return_shipping = ZERO
    if outside:
        restocking = min(
            money_round(
                total("value", outside) * policy.restocking_fee_percent / 100, currency
            ),
            cash,
        )
        return_shipping = min(policy.return_shipping_fee, cash - restocking)
    cash -= restocking + return_shipping
    deduction = ZERO
    if (
        policy.reversed_points_rule == ReversedPointsRule.DEDUCT_FROM_REFUND
        and reversal.short
    ):
        owed = money_round(Decimal(reversal.short) * programme().point_value, currency)
        deduction = min(owed, cash + credit)
    from_cash = min(deduction, cash)
    cash -= from_cash
    credit -= deduction - from_cash
    converted = bonus = ZERO
    if request.resolution == Resolution.CREDIT:
        converted, cash = cash, ZERO
        if converted > 0 and not _serial_returner(request):
            bonus = money_round(converted * policy.credit_bonus_percent / 100, currency)
    points_value = total("points_paid") + shipping.points_paid
    return RefundPreview(
        request_id=request.pk,
        currency=currency,
        resolution=request.resolution,
        estimate=estimate,
        computed_at=now,
        lines=_line_rows(units, chosen_units, cooling),
        units=tuple(chosen_units),
        value=value,
        shipping=shipping,
        restocking_fee=restocking,
        return_shipping_fee=return_shipping,
        points_reversal=reversal,
        reversed_points_rule=policy.reversed_points_rule,
        points_deduction=deduction,
        points_restored=sum(u.points for u in chosen_units) + shipping.points,
        points_value=points_value,
        credit_restored=credit,
        credit_converted=converted,
        credit_bonus=bonus,
        to_payment=cash,
        total=cash + credit + converted + points_value,
        spend_reduction=total("cash"),
        completes_order=completes,
        refund_via=_refund_via(order, request.resolution, cash),
    )
