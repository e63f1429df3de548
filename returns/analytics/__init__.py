"""Return analytics: return rates by product, variant, category, reason and
customer, members against non-members and by tier, and the dashboard built
from them (`returns.views_analytics`). Reads only; the serial-returner flags
are written by `returns.services.serial`.
"""

from returns.analytics.dashboard import (
    ReturnDashboard,
    return_dashboard,
    serial_returners_flagged,
)
from returns.analytics.rates import (
    PERIOD_CHOICES,
    MembershipRates,
    Period,
    RateRow,
    analytics_period,
    rates_by_category,
    rates_by_customer,
    rates_by_membership,
    rates_by_product,
    rates_by_reason,
    rates_by_variant,
    return_rate,
    top_products_for_reasons,
)

__all__ = [
    "PERIOD_CHOICES",
    "MembershipRates",
    "Period",
    "RateRow",
    "ReturnDashboard",
    "analytics_period",
    "rates_by_category",
    "rates_by_customer",
    "rates_by_membership",
    "rates_by_product",
    "rates_by_reason",
    "rates_by_variant",
    "return_dashboard",
    "return_rate",
    "serial_returners_flagged",
    "top_products_for_reasons",
]
