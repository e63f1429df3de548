"""Shopping credit's answers to order events; connected in `LoyaltyConfig.ready()`.

Each runs inside the transaction of the service that sent the event: credit
no longer available at placement raises CreditError and the order is not
placed.
"""

from django.utils.translation import gettext as _

from loyalty.credit import services as credit
from shop.orders import signals


def _placed(sender, order, **kwargs):
    if order.user_id is not None:
        credit.credit_spend_for_order(order=order)


def _cancelled(sender, order, actor=None, **kwargs):
    if order.user_id is None:
        return
    credit.credit_restore_for_order(
        order=order,
        idempotency_key=f"credit-restore:order:{order.pk}:cancel",
        reason=_("Order %(number)s cancelled") % {"number": order.number},
        actor=actor,
    )


def connect() -> None:
    signals.order_placed.connect(_placed, dispatch_uid="loyalty.credit.order_placed")
    signals.order_cancelled.connect(
        _cancelled, dispatch_uid="loyalty.credit.order_cancelled"
    )
