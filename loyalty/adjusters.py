"""Paying part of an order with points: a price adjuster (settings.CHECKOUT_ADJUSTERS).

It runs last, after shipping, so the points never pay more than what is
left. The shopper's choice arrives as `options["points"]`; the adjuster also
offers the choice (a CheckoutOffer the review page and the API show).
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.coupons.adjusters import quote_coupon
from loyalty.coupons.selectors import COUPON_CODE
from loyalty.errors import CouponError, PointsError
from loyalty.services.points import (
    POINTS_CODE,
    points_check_request,
    redeem_limits,
)
from loyalty.shopper import shopper_membership
from shop.checkout.allocation import allocate_proportionally
from shop.checkout.pricing import Adjustment, CheckoutOffer, Quote, QuoteContext
from shop.core.money import Money
from shop.orders.models import AdjustmentKind

OFFER_TEMPLATE = "loyalty/checkout/points_offer.html"
# Longer input is not a number of points anyone has.
MAX_DIGITS = 9


def requested_points(value) -> int:
    """The points asked for in `options["points"]`: 0 for none, else a whole number.

    Raises PointsError for anything that is not a whole number of 0 or more.
    """
    if value is None or value == "":
        return 0
    points = None
    if isinstance(value, int) and not isinstance(value, bool):
        points = value
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
            points = int(text)
    if points is None or points < 0:
        raise PointsError(
            _("Enter a whole number of points."), field="points", code="invalid"
        )
    return points


class PointsRedemptionAdjuster:
    """Members pay part of the items with points: a TENDER adjustment "points".

    Asked for more than allowed (balance, share of the order, minimum order
    or minimum points) it raises PointsError with what is allowed instead of
    quietly using fewer points; checkout shows the message. With a coupon
    that does not combine with points, asking for points raises CouponError
    and the offer says why none can be used.
    """

    def adjust(self, quote: Quote, context: QuoteContext):
        shopper = context.shopper
        points = requested_points((context.options or {}).get(POINTS_CODE))
        if not shopper.is_member:
            if points:
                raise PointsError(
                    _("Log in to pay with points."), field="points", code="login"
                )
            return []
        if not quote.lines:
            return []
        membership = shopper_membership(shopper, "points_available", "points_pending")
        if membership is None and not points:
            return []
        limits = redeem_limits(quote=quote, membership=membership)
        coupon = quote_coupon(quote)
        if coupon is not None and not coupon.data.get("combines_with_points", True):
            # Said at once, whichever of the two the shopper chose last.
            message = _("This coupon cannot be combined with points.")
            if points:
                raise CouponError(message, field=COUPON_CODE, code="no_points")
            limits = replace(limits, max_points=0, reason=message)
        if points:
            points_check_request(points=points, limits=limits)
        value = limits.value_of(points)
        if limits.available or points:
            quote.offers.append(
                CheckoutOffer(
                    key=POINTS_CODE,
                    template_name=OFFER_TEMPLATE,
                    context={
                        "available": limits.available,
                        "min_points": limits.min_points,
                        "max_points": limits.max_points,
                        "usable": limits.usable,
                        "reason": str(limits.reason),
                        "point_value": str(limits.point_value),
                        "applied": points,
                        "applied_amount": str(value.amount),
                        "currency": quote.currency,
                    },
                )
            )
        if not points:
            return []
        amount = -value.amount
        return [
            Adjustment(
                code=POINTS_CODE,
                label=ngettext(
                    "Paid with %(count)d point", "Paid with %(count)d points", points
                )
                % {"count": points},
                amount=Money(amount, quote.currency),
                kind=AdjustmentKind.TENDER,
                allocations=allocate_proportionally(
                    amount, quote.line_weights(), quote.currency
                ),
                data={"points": points, "point_value": str(limits.point_value)},
            )
        ]
