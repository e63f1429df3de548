"""The built-in price adjusters (see `settings.CHECKOUT_ADJUSTERS`)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from shop.checkout.pricing import Adjustment, Quote, QuoteContext
from shop.core.money import Money, format_money
from shop.orders.models import AdjustmentKind


class ShippingFeeAdjuster:
    """The chosen method's fee, waived from its free-shipping threshold."""

    def adjust(self, quote: Quote, context: QuoteContext):
        method = context.shipping_method
        if method is None or not quote.lines:
            return []
        threshold = method.free_shipping_threshold
        spent = quote.merchandise_after_discounts().amount
        if threshold is not None and spent >= threshold:
            return [
                Adjustment(
                    code="shipping",
                    label=_("Free shipping (%(method)s)") % {"method": method.name},
                    amount=Money(Decimal(0), quote.currency),
                    kind=AdjustmentKind.SHIPPING,
                    data={"method": method.code, "waived_fee": str(method.fee)},
                )
            ]
        if threshold is not None and method.fee > 0:
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
