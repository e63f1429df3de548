"""Which units of an order's lines may still be returned, and until when.

The rules, per order line:

- Both windows count from `order.delivered_at`: the moment the parcel was
  delivered, or collected at the convenience store for pickup orders. Before
  that nothing can be returned.
- The cooling-off period (鑑賞期) is the snapshot's `cooling_off_days`
  (statutory, from `settings.COOLING_OFF_DAYS`): a return asked for inside
  it is free of any fee.
- The merchant window lasts max(cooling-off, `merchant_window_days`) days;
  outside it a return is refused with the date it closed.
- A line bought with a non-returnable notice (its `non_returnable_reason`
  snapshot) is refused with that notice, except for a faulty product:
  defective, damaged in transit, or not as described (which covers a wrong
  item sent). A faulty product can always be returned inside the window.
- The returnable quantity is the line's quantity less the units already in
  a return that is open or resolved (or already refunded); rejected,
  cancelled and expired returns free their units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from returns.models import RefundUnit, ReturnReason, ReturnUnit
from returns.selectors import FREED_STATUSES
from returns.services.policy import order_return_policy_snapshot

# Reasons that make the seller answerable whatever the product's notice said.
FAULT_REASONS = frozenset(
    {
        ReturnReason.DEFECTIVE,
        ReturnReason.DAMAGED_IN_TRANSIT,
        ReturnReason.NOT_AS_DESCRIBED,
    }
)


@dataclass(frozen=True)
class LineWindow:
    """What a shopper may return of one order line, at one moment.

    `refusal` is empty when the line may be returned; otherwise the message
    to show. With `faulty_only` the refusal is the line's non-returnable
    notice, which does not apply to the FAULT_REASONS: such a line may still
    come back, up to `returnable_quantity`, for one of them.
    """

    returnable_quantity: int
    in_cooling_off: bool
    cooling_off_ends: datetime | None
    window_ends: datetime | None
    refusal: str
    faulty_only: bool = False


def units_taken(*, order_line_ids) -> dict[int, set[int]]:
    """{order line id: unit indexes already in a live return or refunded}."""
    ids = list(order_line_ids)
    taken: dict[int, set[int]] = {pk: set() for pk in ids}
    rows = (
        ReturnUnit.objects.filter(line__order_line_id__in=ids)
        .exclude(line__request__status__in=FREED_STATUSES)
        .values_list("line__order_line_id", "unit_index")
    )
    refunded = RefundUnit.objects.filter(order_line_id__in=ids).values_list(
        "order_line_id", "unit_index"
    )
    for line_id, index in [*rows, *refunded]:
        taken[line_id].add(index)
    return taken


def _date(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def line_return_windows(*, order, now: datetime | None = None) -> dict[int, LineWindow]:
    """{order line id: LineWindow} for every line of `order` at `now`.

    Three queries (the lines, and the units taken in two), one more when
    the order's snapshot is not loaded yet. See the module docstring for the
    rules.
    """
    now = now or timezone.now()
    terms = order_return_policy_snapshot(order=order)
    lines = list(order.lines.all())
    taken = units_taken(order_line_ids=[line.pk for line in lines])
    windows = {}
    delivered = order.delivered_at
    cooling_ends = window_ends = None
    if delivered is not None:
        cooling_ends = delivered + timedelta(days=terms.cooling_off_days)
        window_ends = delivered + timedelta(
            days=max(terms.cooling_off_days, terms.merchant_window_days)
        )
    for line in lines:
        free = line.quantity - len(taken[line.pk])
        faulty_only = False
        if delivered is None:
            refusal = _("This order has not been delivered yet.")
        elif now >= window_ends:
            refusal = _("The return window for this order closed on %(date)s.") % {
                "date": _date(window_ends)
            }
        elif free <= 0:
            refusal = _("All of this item has already been returned or is in a return.")
        elif line.non_returnable_reason:
            refusal = line.non_returnable_reason
            faulty_only = True
        else:
            refusal = ""
        returnable = max(free, 0) if (not refusal or faulty_only) else 0
        windows[line.pk] = LineWindow(
            returnable_quantity=returnable,
            in_cooling_off=delivered is not None and now < cooling_ends,
            cooling_off_ends=cooling_ends,
            window_ends=window_ends,
            refusal=refusal,
            faulty_only=faulty_only,
        )
    return windows
