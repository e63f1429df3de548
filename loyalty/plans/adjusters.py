"""The paid membership discount: a price adjuster (settings.CHECKOUT_ADJUSTERS).

It runs after the member-day discount and before coupons, so it counts the
items after member prices and member day, and the free-shipping threshold
and the tenders see the price after it. The plan's free shipping is a rule of
`loyalty.pricing_adjusters.MemberShippingFeeAdjuster`. An order placed with
either benefit marks the period as used (no refund), see
`loyalty.plans.services.paid_membership_mark_benefit_used`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from loyalty.plans.services import PAID_MEMBERSHIP_CODE
from loyalty.selectors.member import decimal_text
from shop.checkout.allocation import allocate_proportionally
from shop.checkout.pricing import Adjustment, Quote, QuoteContext
from shop.core.money import Money, money_round
from shop.orders.models import AdjustmentKind


def paid_membership_discount_label(*, plan, percent: Decimal) -> str:
    """What the order says about the plan's discount, e.g. "Plus member discount 5%"."""
    return _("%(plan)s member discount %(percent)s%%") % {
        "plan": plan.name,
        "percent": decimal_text(percent),
    }


class PaidMembershipDiscountAdjuster:
    """A paid member's plan takes its extra percentage off the items.

    A DISCOUNT adjustment "paid_membership" of the items' value after earlier
    discounts times the plan's percentage, rounded once by the shop's money
    rule and allocated over the lines so the shares sum to it exactly.
    Shoppers without a plan holding benefits now get nothing.
    """

    def adjust(self, quote: Quote, context: QuoteContext):
        plan = getattr(context.shopper, "paid_plan", None)
        if plan is None or not quote.lines:
            return []
        percent = plan.extra_discount_percent or Decimal(0)
        if percent <= 0:
            return []
        weights = quote.line_weights()
        base = sum((w for w in weights.values() if w > 0), Decimal(0))
        amount = min(money_round(base * percent / 100, quote.currency), base)
        if amount <= 0:
            return []
        return [
            Adjustment(
                code=PAID_MEMBERSHIP_CODE,
                label=paid_membership_discount_label(plan=plan, percent=percent),
                amount=Money(-amount, quote.currency),
                kind=AdjustmentKind.DISCOUNT,
                allocations=allocate_proportionally(-amount, weights, quote.currency),
                data={"plan": plan.code, "percent": f"{percent:.2f}"},
            )
        ]
