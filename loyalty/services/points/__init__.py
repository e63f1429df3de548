"""The points ledger: earning, releasing, spending, restoring, reversing, expiring.

Integer points in append-only PointsEntry rows, each with a unique
idempotency key; `points` moves the available balance and `pending_points`
the pending one. Every change locks the member first (then lots by pk) and
updates the cached balances on the membership in the same transaction, so
`points_reconcile` finds no difference. Callers use the module:
`from loyalty.services import points; points.points_award_for_order(order=…)`.
"""

from loyalty.services.points.earning import (
    POINTS_CODE,
    EarnBase,
    order_earn_base,
    points_award_for_order,
    points_for_amount,
    points_release_due,
    points_release_for_order,
    points_schedule_release,
)
from loyalty.services.points.expiry import (
    points_expire_due,
    points_expiry_reminders_send,
)
from loyalty.services.points.ledger import last_valid_day, lot_expiry, split_points
from loyalty.services.points.reconcile import points_lot_differences, points_reconcile
from loyalty.services.points.returns import (
    PointsReversal,
    points_restore_for_units,
    points_reversal_preview,
    points_reverse_for_units,
)
from loyalty.services.points.reversal import points_reverse_for_order
from loyalty.services.points.spending import (
    RedeemLimits,
    points_adjust,
    points_check_request,
    points_redeem_for_order,
    points_restore_for_order,
    redeem_limits,
)

__all__ = [
    "POINTS_CODE",
    "EarnBase",
    "PointsReversal",
    "RedeemLimits",
    "last_valid_day",
    "lot_expiry",
    "order_earn_base",
    "points_adjust",
    "points_award_for_order",
    "points_check_request",
    "points_expire_due",
    "points_expiry_reminders_send",
    "points_for_amount",
    "points_lot_differences",
    "points_reconcile",
    "points_redeem_for_order",
    "points_release_due",
    "points_release_for_order",
    "points_restore_for_order",
    "points_restore_for_units",
    "points_reversal_preview",
    "points_reverse_for_order",
    "points_reverse_for_units",
    "points_schedule_release",
    "redeem_limits",
    "split_points",
]
