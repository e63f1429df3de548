"""Coupons at checkout: a price adjuster (settings.CHECKOUT_ADJUSTERS) and its offer.

It runs after the member-day and paid-membership discounts and before
shipping and points, so a percentage is taken from what the items cost after
those discounts, the free-shipping threshold sees the coupon, and points pay
what is left.

The shopper's choice arrives as `options["coupon"]`: the code as typed, or
`v:<id>` for a voucher of their wallet (see `loyalty.coupons.selectors`); one
coupon an order, a new choice replacing the last.
The review page posts it to checkout's option view; API clients send it in
the quote's and the order's `options` (leaving it out removes it).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.coupons.selectors import (
    COUPON_CODE,
    coupon_check,
    coupon_codes_in_use,
    coupon_from_option,
    member_coupons,
    voucher_option,
)
from loyalty.coupons.texts import (
    coupon_benefit,
    coupon_label,
    coupon_terms,
    expires_soon,
    expiry_text,
)
from shop.checkout.adjusters import FreeShippingRule
from shop.checkout.pricing import Adjustment, CheckoutOffer, Quote, QuoteContext
from shop.core.money import Money
from shop.orders.models import AdjustmentKind

OFFER_TEMPLATE = "loyalty/checkout/coupon_offer.html"
# The review page offers at most this many vouchers of the wallet.
OFFER_VOUCHERS = 20


def quote_coupon(quote: Quote) -> Adjustment | None:
    """The coupon's adjustment on `quote`, or None."""
    return next((a for a in quote.adjustments if a.code == COUPON_CODE), None)


def coupon_shipping_rules(quote: Quote | None, method) -> list[FreeShippingRule]:
    """A free-shipping coupon on `quote` ships with `method` free from 0.

    For `MemberShippingFeeAdjuster.free_shipping_rules`; the rule's data
    names the coupon, so the order's shipping adjustment records why.
    """
    adjustment = quote_coupon(quote) if quote is not None else None
    if adjustment is None or not adjustment.data.get("free_shipping"):
        return []
    return [
        FreeShippingRule(
            threshold=Decimal(0),
            label=_("Free shipping with %(coupon)s (%(method)s)")
            % {"coupon": adjustment.label, "method": method.name},
            data={"coupon_id": adjustment.data["coupon_id"]},
        )
    ]


def member_vouchers_for_quote(*, shopper, quote, now: datetime) -> list[dict]:
    """The member's usable vouchers as the review page offers them (JSON-able).

    Each says whether it applies to this quote and, if not, why; those that
    apply come first. One query for the vouchers, two more only when there
    are any.
    """
    if not shopper.is_member:
        return []
    vouchers = member_coupons(shopper.user, now=now)[:OFFER_VOUCHERS]
    rows = []
    for voucher in vouchers:
        verdict = coupon_check(
            voucher.coupon,
            quote=quote,
            shopper=shopper,
            member_coupon=voucher,
            now=now,
        )
        rows.append(
            {
                "option": voucher_option(voucher),
                "name": voucher.coupon.name,
                "benefit": coupon_benefit(voucher.coupon),
                "terms": coupon_terms(voucher.coupon),
                "expires": expiry_text(voucher, now=now),
                "expires_soon": expires_soon(voucher, now=now),
                "applies": verdict.ok,
                "reason": verdict.message,
            }
        )
    # Those that apply first, each group soonest to expire first.
    return sorted(rows, key=lambda row: not row["applies"])


class CouponAdjuster:
    """A coupon or voucher chosen at checkout: a DISCOUNT adjustment "coupon".

    A percentage or an amount off is spread over the lines it covers; free
    shipping is a zero-amount marker the shipping adjuster turns into a
    waived fee. A coupon that does not apply raises CouponError (field
    "coupon") with the reason; checkout shows it and drops the choice. The
    offer (the code box, the applied coupon, the member's vouchers and the
    rules in words) is made when there is something to offer: a coupon
    applied, a voucher in the wallet, or any coupon with a code.
    """

    def adjust(self, quote: Quote, context: QuoteContext):
        if not quote.lines:
            return []
        shopper = context.shopper
        now = timezone.now()
        value = (context.options or {}).get(COUPON_CODE)
        choice = coupon_from_option(value, shopper=shopper)
        adjustments: list[Adjustment] = []
        applied: dict = {}
        if choice is not None:
            coupon, member_coupon = choice
            verdict = coupon_check(
                coupon,
                quote=quote,
                shopper=shopper,
                member_coupon=member_coupon,
                now=now,
            )
            verdict.raise_unless_ok()
            label = coupon_label(coupon)
            adjustments.append(
                Adjustment(
                    code=COUPON_CODE,
                    label=label,
                    amount=Money(-verdict.amount, quote.currency),
                    kind=AdjustmentKind.DISCOUNT,
                    allocations=verdict.allocations,
                    data={
                        "coupon_id": coupon.pk,
                        "member_coupon_id": member_coupon.pk if member_coupon else None,
                        "code": coupon.code,
                        "kind": coupon.kind,
                        "free_shipping": verdict.free_shipping,
                        "combines_with_points": coupon.combines_with_points,
                    },
                )
            )
            applied = {
                "applied": str(value).strip(),
                "applied_label": label,
                "applied_benefit": coupon_benefit(coupon),
                "applied_amount": str(verdict.amount),
                "free_shipping": verdict.free_shipping,
                "terms": coupon_terms(coupon),
            }
        vouchers = member_vouchers_for_quote(shopper=shopper, quote=quote, now=now)
        if applied or vouchers or coupon_codes_in_use():
            quote.offers.append(
                CheckoutOffer(
                    key=COUPON_CODE,
                    template_name=OFFER_TEMPLATE,
                    context={
                        "applied": "",
                        "is_member": bool(shopper.is_member),
                        "currency": quote.currency,
                        "vouchers": vouchers,
                        **applied,
                    },
                )
            )
        return adjustments
