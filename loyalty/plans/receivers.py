"""Paid membership's answers to order events (DESIGN §3).

Connected in `LoyaltyConfig.ready()`; runs inside the placement transaction.
"""

from loyalty.plans import services
from shop.orders import signals


def _placed(sender, order, **kwargs):
    # An order using the plan's benefits ends the "refund if unused" right.
    services.paid_membership_mark_benefit_used(order=order)


def connect() -> None:
    signals.order_placed.connect(_placed, dispatch_uid="loyalty.plans.order_placed")
