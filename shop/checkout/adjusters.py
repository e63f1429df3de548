"""The built-in price adjusters (see `settings.CHECKOUT_ADJUSTERS`)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from shop.checkout.pricing import Adjustment, Quote, QuoteContext
from shop.core.money import Money, format_money
from shop.orders.models import AdjustmentKind


@dataclass(frozen=True)
class FreeShippingRule:
    """From `threshold` (merchandise after discounts) a method ships free."""

    threshold: Decimal
    # Why it is free, e.g. "Free shipping (宅配到府)"; stored on the order.
    label: str
    data: dict = field(default_factory=dict)


class ShippingFeeAdjuster:
    """The chosen method's fee, waived from its free-shipping threshold.

    Subclasses may offer some shoppers more ways to ship free (a member tier's
    lower threshold) by extending `free_shipping_rules`.
    """

    def free_shipping_rules(
        self, method, context: QuoteContext
    ) -> list[FreeShippingRule]:
        """The thresholds from which `method` ships free for this shopper."""
        if method.free_shipping_threshold is None:
            return []
        return [
            FreeShippingRule(
                threshold=method.free_shipping_threshold,
                label=_("Free shipping (%(method)s)") % {"method": method.name},
            )
        ]

    def adjust(self, quote: Quote, context: QuoteContext):
        method = context.shipping_method
        if method is None or not quote.lines:
            return []
        rules = self.free_shipping_rules(method, context)
        spent = quote.merchandise_after_discounts().amount
        reached = [rule for rule in rules if spent >= rule.threshold]
        if reached:
            # The highest threshold reached says why most plainly: a member
            # over the method's own threshold ships free like anyone else.
            rule = max(reached, key=lambda rule: rule.threshold)
            return [
                Adjustment(
                    code="shipping",
                    label=rule.label,
                    amount=Money(Decimal(0), quote.currency),
                    kind=AdjustmentKind.SHIPPING,
                    data={
                        "method": method.code,
                        "waived_fee": str(method.fee),
                        **rule.data,
                    },
                )
            ]
        if rules and method.fee > 0:
            threshold = min(rule.threshold for rule in rules)
            quote.notes.append(
                _("Spend %(amount)s more for free shipping with %(method)s.")
                % {
                    "amount": format_money(threshold - spent, quote.currency),
                    "method": method.name,
                }
            )
        return [
            Adjustment(
                code="shipping",
                label=_("Shipping (%(method)s)") % {"method": method.name},
                amount=Money(method.fee, quote.currency).rounded(),
                kind=AdjustmentKind.SHIPPING,
                data={"method": method.code},
            )
        ]
