"""Coupons' answers to order events; connected in `LoyaltyConfig.ready()`.

Each runs inside the transaction of the service that sent the event: a
coupon used up meanwhile raises CouponError and the order is not placed.
"""

from django.db.models.signals import post_delete, post_save

from loyalty.coupons import services
from loyalty.coupons.selectors import coupon_cache_clear
from loyalty.models import Coupon
from shop.orders import signals


def _placed(sender, order, **kwargs):
    services.coupon_redeem_for_order(order=order)


def _cancelled(sender, order, actor=None, **kwargs):
    services.coupon_release_for_order(order=order, actor=actor)


def connect() -> None:
    signals.order_placed.connect(_placed, dispatch_uid="loyalty.coupons.order_placed")
    signals.order_cancelled.connect(
        _cancelled, dispatch_uid="loyalty.coupons.order_cancelled"
    )
    # Not business flow: whether checkout shows the code box is cached.
    post_save.connect(coupon_cache_clear, sender=Coupon, dispatch_uid="coupon-saved")
    post_delete.connect(
        coupon_cache_clear, sender=Coupon, dispatch_uid="coupon-deleted"
    )
