"""Price adjusters of member prices (`settings.CHECKOUT_ADJUSTERS`).

Member prices themselves need no adjuster: the shopper context prices the
quote's lines (`loyalty.shopper.LoyaltyShopper`), so the cart, the quote and
the order line (with its `price_label`) agree with the product page.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from loyalty.coupons.adjusters import coupon_shipping_rules
from shop.checkout.adjusters import FreeShippingRule, ShippingFeeAdjuster
from shop.checkout.pricing import QuoteContext


class MemberShippingFeeAdjuster(ShippingFeeAdjuster):
    """Shipping, free from the member tier's threshold when it is lower than
    the method's (0: always free for that tier).

    Shoppers without a tier (guests, or a shopper context that knows no
    tiers) get the method's own threshold. A paid plan with free shipping
    ships free from 0 while it holds benefits. A free-shipping coupon on the
    quote ships free from 0 too.
    """

    # The quote being priced: a free-shipping coupon's marker is on it, and
    # `free_shipping_rules` is not given the quote.
    _quote = None

    def adjust(self, quote, context: QuoteContext):
        self._quote = quote
        return super().adjust(quote, context)

    def free_shipping_rules(
        self, method, context: QuoteContext
    ) -> list[FreeShippingRule]:
        rules = super().free_shipping_rules(method, context)
        if method.fee <= 0:
            return rules
        tier = getattr(context.shopper, "tier", None)
        threshold = getattr(tier, "free_shipping_threshold", None)
        own = method.free_shipping_threshold
        if threshold is not None and (own is None or threshold < own):
            rules.append(
                FreeShippingRule(
                    threshold=threshold,
                    label=_("Free shipping for %(tier)s members (%(method)s)")
                    % {"tier": tier.display_name, "method": method.name},
                    data={"tier": tier.code},
                )
            )
        # Before the plan's rule: a coupon used anyway is the reason, not the plan.
        rules.extend(coupon_shipping_rules(self._quote, method))
        plan = getattr(context.shopper, "paid_plan", None)
        if plan is not None and plan.free_shipping:
            # Last: among equal thresholds the first rule wins, so a member who
            # ships free anyway (tier 0) does not use up the plan's benefit.
            rules.append(
                FreeShippingRule(
                    threshold=Decimal(0),
                    label=_("Free shipping for %(plan)s members (%(method)s)")
                    % {"plan": plan.name, "method": method.name},
                    data={"paid_membership": plan.code},
                )
            )
        return rules
