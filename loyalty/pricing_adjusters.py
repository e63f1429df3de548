"""Price adjusters of member prices (`settings.CHECKOUT_ADJUSTERS`).

Member prices themselves need no adjuster: the shopper context prices the
quote's lines (`loyalty.shopper.LoyaltyShopper`), so the cart, the quote and
the order line (with its `price_label`) agree with the product page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from shop.checkout.adjusters import FreeShippingRule, ShippingFeeAdjuster
from shop.checkout.pricing import QuoteContext


class MemberShippingFeeAdjuster(ShippingFeeAdjuster):
    """Shipping, free from the member tier's threshold when it is lower than
    the method's (0: always free for that tier).

    Shoppers without a tier (guests, or a shopper context that knows no
    tiers) get the method's own threshold.
    """

    def free_shipping_rules(
        self, method, context: QuoteContext
    ) -> list[FreeShippingRule]:
        rules = super().free_shipping_rules(method, context)
        tier = getattr(context.shopper, "tier", None)
        threshold = getattr(tier, "free_shipping_threshold", None)
        if threshold is None or method.fee <= 0:
            return rules
        own = method.free_shipping_threshold
        if own is not None and threshold >= own:
            return rules
        return [
            *rules,
            FreeShippingRule(
                threshold=threshold,
                label=_("Free shipping for %(tier)s members (%(method)s)")
                % {"tier": tier.display_name, "method": method.name},
                data={"tier": tier.code},
            ),
        ]
