"""The returns app's answers to order events (DESIGN §3).

Connected in `ReturnsConfig.ready()`. The receiver runs inside the placement
transaction, so the return terms are frozen together with the order.
"""

from returns.services.policy import order_return_policy_snapshot
from shop.orders import signals


def _placed(sender, order, **kwargs):
    order_return_policy_snapshot(order=order)


def connect() -> None:
    signals.order_placed.connect(_placed, dispatch_uid="returns.order_placed")
