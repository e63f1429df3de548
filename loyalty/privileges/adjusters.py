"""The member-day (會員日) discount: a price adjuster (settings.CHECKOUT_ADJUSTERS).

It runs first, on the lines at the member's prices, so every later discount,
the free-shipping threshold and the tenders see the price after it. A tier's
member-day points multiplier travels on the adjustment (`data`) to the order,
where earning reads it (`loyalty.services.points.earning`).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from loyalty.selectors.member import decimal_text
from shop.checkout.allocation import allocate_proportionally
from shop.checkout.pricing import Adjustment, Quote, QuoteContext
from shop.core.money import Money, money_round
from shop.orders.models import AdjustmentKind

MEMBER_DAY_CODE = "member_day"
ONE = Decimal(1)


def member_day_label(*, tier, percent: Decimal, multiplier: Decimal) -> str:
    """What the order says about the member-day benefit of `tier`."""
    values = {
        "tier": tier.display_name,
        "percent": decimal_text(percent),
        "multiplier": decimal_text(multiplier),
    }
    if percent and multiplier > ONE:
        return (
            _("Member day: %(tier)s extra %(percent)s%% off, %(multiplier)s× points")
            % values
        )
    if percent:
        return _("Member day: %(tier)s extra %(percent)s%% off") % values
    return _("Member day: %(multiplier)s× points for %(tier)s") % values


class MemberDayDiscountAdjuster:
    """On a member day, the member's tier takes its extra percentage off the items.

    A DISCOUNT adjustment "member_day" allocated over the lines in proportion
    to their value; with a member-day points multiplier above 1 its `data`
    holds `points_multiplier` ("2.00"), on an adjustment of 0 when the tier
    has no extra discount. Guests and days that are not member days get
    nothing.
    """

    def adjust(self, quote: Quote, context: QuoteContext):
        shopper = context.shopper
        if not quote.lines or getattr(shopper, "member_day", None) is None:
            return []
        tier = getattr(shopper, "tier", None)
        if tier is None:
            return []
        percent = tier.member_day_extra_percent or Decimal(0)
        multiplier = tier.member_day_points_multiplier or ONE
        if percent <= 0 and multiplier <= ONE:
            return []
        weights = quote.line_weights()
        base = sum((w for w in weights.values() if w > 0), Decimal(0))
        amount = min(money_round(base * percent / 100, quote.currency), base)
        if amount <= 0 and multiplier <= ONE:
            return []
        data = {"tier": tier.code, "percent": f"{percent:.2f}"}
        if multiplier > ONE:
            data["points_multiplier"] = f"{multiplier:.2f}"
        allocations = (
            allocate_proportionally(-amount, weights, quote.currency) if amount else {}
        )
        return [
            Adjustment(
                code=MEMBER_DAY_CODE,
                label=member_day_label(
                    tier=tier,
                    percent=percent if amount else Decimal(0),
                    multiplier=multiplier,
                ),
                amount=Money(-amount if amount else Decimal(0), quote.currency),
                kind=AdjustmentKind.DISCOUNT,
                allocations=allocations,
                data=data,
            )
        ]
