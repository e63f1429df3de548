"""What each unit of an order cost, and how it was paid: the base of every refund.

An order line's figures (its subtotal, its share of each order-level
adjustment from the checkout allocation table) are shared over its units
with the checkout's largest-remainder split (`split_units`), so the units of
a line always add up exactly to the line, and returning a whole order in
several returns gives back exactly what was paid, per tender.

The split is made on running totals in the order the adjustments applied
(merchandise, then each discount, then the points, then the credit), and
each figure of a unit is the difference of two neighbouring splits. Split
one by one, a unit could get the larger share of a discount and the smaller
share of the price, and be worth less than nothing by a cent; on running
totals every unit's value and cash part stay between zero and the line's.

Per unit: value = merchandise + its discount shares; paid with points =
−points share; with credit = −credit share; cash = value − points − credit.

Shipping is not shared over units: it is refunded whole, by the policy's
rule (see `refund_preview`). A discount the checkout did not allocate to
lines is shared by the lines in proportion (as the earn base does); a
tender's unallocated part paid the shipping (shopping credit allocates to
the lines at most their value), so it goes back with the shipping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from loyalty.credit.services import CREDIT_CODE
from loyalty.services.points import POINTS_CODE
from returns.errors import ReturnError
from shop.checkout.allocation import allocate_proportionally, split_units
from shop.core.money import currency_decimals
from shop.orders.models import AdjustmentKind, OrderAdjustment, OrderLine

CENT = Decimal("0.01")


@dataclass(frozen=True)
class UnitValue:
    """One unit of an order line: its price after discounts, and how it was paid."""

    order_line_id: int
    unit_index: int
    merchandise: Decimal
    # Adjustment id → this unit's (signed) share of that discount.
    discounts: dict[int, Decimal]
    points_paid: Decimal
    points: int
    credit_paid: Decimal

    @property
    def value(self) -> Decimal:
        return self.merchandise + sum(self.discounts.values(), Decimal(0))

    @property
    def cash(self) -> Decimal:
        return self.value - self.points_paid - self.credit_paid


@dataclass(frozen=True)
class ShippingPaid:
    """The order's shipping and how it was paid."""

    amount: Decimal
    points_paid: Decimal = Decimal(0)
    points: int = 0
    credit_paid: Decimal = Decimal(0)

    @property
    def cash(self) -> Decimal:
        return self.amount - self.points_paid - self.credit_paid


@dataclass(frozen=True)
class OrderUnits:
    """Every unit of an order, with the order's adjustments and shipping."""

    currency: str
    lines: dict[int, OrderLine]
    # The order's discounts (id → row), in the order they applied.
    discounts: dict[int, OrderAdjustment]
    shipping: ShippingPaid
    point_value: Decimal
    units: dict[tuple[int, int], UnitValue] = field(default_factory=dict)

    def unit(self, order_line_id: int, unit_index: int) -> UnitValue:
        return self.units[(order_line_id, unit_index)]

    @property
    def unit_count(self) -> int:
        return len(self.units)


def _minor(amount: Decimal, step: Decimal) -> int:
    return int(amount / step)


def _line_step(amounts: list[Decimal], currency: str) -> Decimal:
    # The currency's minor unit, unless an allocation was stored finer.
    step = Decimal(1).scaleb(-currency_decimals(currency))
    if all((amount / step) == int(amount / step) for amount in amounts):
        return step
    return CENT


def _running_split(totals: list[Decimal], quantity: int, step: Decimal) -> list[list]:
    """Each running total (none negative) split over the units, in minor units."""
    weights = {index: Decimal(1) for index in range(quantity)}
    splits = []
    for total in totals:
        shares = split_units(_minor(total, step), weights)
        splits.append([shares[index] for index in range(quantity)])
    return splits


def _allocations(order, lines, adjustments) -> dict[int, dict[int, Decimal]]:
    """Adjustment id → {line id: share}; a discount's unallocated rest spread."""
    weights = {pk: line.subtotal for pk, line in lines.items()}
    shares: dict[int, dict[int, Decimal]] = {}
    for adjustment in adjustments:
        line_shares = {
            allocation.line_id: allocation.amount
            for allocation in adjustment.allocations.all()
            if allocation.line_id in lines
        }
        rest = adjustment.amount - sum(line_shares.values(), Decimal(0))
        if rest and adjustment.kind == AdjustmentKind.DISCOUNT:
            # As the earn base does: an amount without allocations is shared
            # by the lines in proportion.
            spread = allocate_proportionally(rest, weights, order.currency)
            for pk, amount in spread.items():
                line_shares[pk] = line_shares.get(pk, Decimal(0)) + amount
        shares[adjustment.pk] = line_shares
    return shares


def order_units(*, order) -> OrderUnits:
    """Every unit of `order`: its value and its points, credit and cash parts.

    Raises ReturnError for an order paid with a tender other than points and
    shopping credit, which this shop cannot give back.
    """
    lines = {line.pk: line for line in OrderLine.objects.filter(order=order)}
    adjustments = list(
        OrderAdjustment.objects.filter(order=order)
        .prefetch_related("allocations")
        .order_by("position", "pk")
    )
    discounts = [a for a in adjustments if a.kind == AdjustmentKind.DISCOUNT]
    tenders = [a for a in adjustments if a.kind == AdjustmentKind.TENDER]
    for tender in tenders:
        if tender.code not in (POINTS_CODE, CREDIT_CODE):
            raise ReturnError(
                _(
                    "Part of this order was paid with “%(label)s”, which cannot "
                    "be refunded here."
                )
                % {"label": tender.label},
                code="unknown_tender",
            )
    points_rows = [t for t in tenders if t.code == POINTS_CODE]
    credit_rows = [t for t in tenders if t.code == CREDIT_CODE]
    shares = _allocations(order, lines, discounts + tenders)
    point_value = Decimal(1)
    for row in points_rows:
        point_value = Decimal(str((row.data or {}).get("point_value") or 1))

    def line_sum(rows, pk) -> Decimal:
        return sum((shares[row.pk].get(pk, Decimal(0)) for row in rows), Decimal(0))

    def on_shipping(rows) -> Decimal:
        allocated = sum((line_sum(rows, pk) for pk in lines), Decimal(0))
        return allocated - sum((row.amount for row in rows), Decimal(0))

    # The order's points, shared over the lines (and the shipping) by the
    # amount they paid.
    total_points = sum(int((row.data or {}).get("points") or 0) for row in points_rows)
    point_weights: dict = {pk: -line_sum(points_rows, pk) for pk in lines}
    point_weights[None] = on_shipping(points_rows)
    split_points = split_units(total_points, point_weights)
    shipping = ShippingPaid(
        amount=sum(
            (a.amount for a in adjustments if a.kind == AdjustmentKind.SHIPPING),
            Decimal(0),
        ),
        points_paid=point_weights[None],
        points=split_points.get(None, 0),
        credit_paid=on_shipping(credit_rows),
    )
    result = OrderUnits(
        currency=order.currency,
        lines=lines,
        discounts={a.pk: a for a in discounts},
        shipping=shipping,
        point_value=point_value,
    )
    for pk, line in lines.items():
        result.units.update(
            _line_units(
                line,
                discounts=[(a.pk, shares[a.pk].get(pk, Decimal(0))) for a in discounts],
                points_paid=-line_sum(points_rows, pk),
                points=split_points.get(pk, 0),
                credit_paid=-line_sum(credit_rows, pk),
                currency=order.currency,
            )
        )
    return result


def _line_units(
    line: OrderLine,
    *,
    discounts: list[tuple[int, Decimal]],
    points_paid: Decimal,
    points: int,
    credit_paid: Decimal,
    currency: str,
) -> dict[tuple[int, int], UnitValue]:
    quantity = line.quantity
    step = _line_step(
        [line.subtotal, points_paid, credit_paid, *(s for _pk, s in discounts)],
        currency,
    )
    totals = [line.subtotal]
    for _pk, share in discounts:
        totals.append(totals[-1] + share)
    value = totals[-1]
    totals += [value - points_paid, value - points_paid - credit_paid]
    if min(totals) < 0:
        # Discounts or tenders beyond the line's price: the table is not one
        # checkout writes, and no split of it would be right.
        raise ReturnError(
            _("The discounts and payments recorded on “%(line)s” exceed its price.")
            % {"line": line.product_title},
            code="allocation_inconsistent",
        )
    splits = _running_split(totals, quantity, step)
    units = {}
    for index in range(quantity):
        figures = [split[index] for split in splits]
        discount_shares = {
            pk: (figures[k + 1] - figures[k]) * step
            for k, (pk, _share) in enumerate(discounts)
        }
        n = len(discounts)
        units[(line.pk, index)] = UnitValue(
            order_line_id=line.pk,
            unit_index=index,
            merchandise=figures[0] * step,
            discounts=discount_shares,
            points_paid=(figures[n] - figures[n + 1]) * step,
            points=0,
            credit_paid=(figures[n + 1] - figures[n + 2]) * step,
        )
    # The line's points follow each unit's points-paid amount.
    unit_points = split_units(
        points, {key: unit.points_paid for key, unit in units.items()}
    )
    return {
        key: UnitValue(
            order_line_id=unit.order_line_id,
            unit_index=unit.unit_index,
            merchandise=unit.merchandise,
            discounts=unit.discounts,
            points_paid=unit.points_paid,
            points=unit_points[key],
            credit_paid=unit.credit_paid,
        )
        for key, unit in units.items()
    }
