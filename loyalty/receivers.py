"""The loyalty programme's answers to order events (DESIGN §3).

Connected in `LoyaltyConfig.ready()`. Each receiver runs inside the
transaction of the service that sent the event, so a receiver that raises
(e.g. points no longer available at placement) rolls the whole move back.
"""

from allauth.account.signals import user_signed_up

from loyalty.services import points, tiers
from loyalty.services.membership import membership_ensure
from shop.orders import signals


def _member(order):
    return order.user if order.user_id is not None else None


def _placed(sender, order, **kwargs):
    # Points chosen at checkout are taken in the placement transaction.
    if _member(order) is not None:
        points.points_redeem_for_order(order=order)


def _paid(sender, order, **kwargs):
    if _member(order) is None:
        return
    # Points are earned at the tier held when the order was paid; the order
    # then counts towards the next tier (and may upgrade the member).
    points.points_award_for_order(order=order)
    tiers.spend_count_order(order=order)


def _delivered(sender, order, **kwargs):
    if _member(order) is not None:
        points.points_schedule_release(order=order)


def _completed(sender, order, **kwargs):
    if _member(order) is not None:
        points.points_release_for_order(order=order)


def _cancelled(sender, order, actor=None, **kwargs):
    if _member(order) is None:
        return
    points.points_restore_for_order(order=order, actor=actor)
    points.points_reverse_for_order(order=order, actor=actor)
    tiers.spend_uncount_order(order=order)


def _signed_up(sender, request, user, **kwargs):
    membership_ensure(user=user)


def connect() -> None:
    signals.order_placed.connect(_placed, dispatch_uid="loyalty.order_placed")
    signals.order_paid.connect(_paid, dispatch_uid="loyalty.order_paid")
    signals.order_delivered.connect(_delivered, dispatch_uid="loyalty.order_delivered")
    signals.order_completed.connect(_completed, dispatch_uid="loyalty.order_completed")
    signals.order_cancelled.connect(_cancelled, dispatch_uid="loyalty.order_cancelled")
    user_signed_up.connect(_signed_up, dispatch_uid="loyalty.user_signed_up")
