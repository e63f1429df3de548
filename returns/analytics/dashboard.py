"""The return analytics dashboard: every figure of the page, read at once.

`return_dashboard` runs a fixed number of aggregate queries (see
`returns.analytics.rates`) whatever the number of orders, returns, products
or customers, and builds the charts from their results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet
from django.db.models.functions import NullIf
from django.utils.translation import gettext as _

from returns.analytics import rates
from returns.analytics.charts import BarChart, bar_chart
from returns.analytics.rates import MembershipRates, Period, RateRow, return_rate
from returns.models import ReturnPolicy, SerialReturner
from returns.selectors import return_policy

SERIAL_ROWS = 20


def serial_returners_flagged(*, limit: int = SERIAL_ROWS) -> QuerySet[SerialReturner]:
    """Standing serial-returner flags, highest return rate first, with the customer."""
    return (
        SerialReturner.objects.filter(cleared_at__isnull=True)
        .select_related("user")
        .order_by(
            (F("units_returned") * 1.0 / NullIf(F("units_bought"), 0)).desc(
                nulls_last=True
            ),
            "-returns_count",
            "pk",
        )[:limit]
    )


@dataclass(frozen=True)
class SerialRow:
    """A standing flag, with its rate for the table."""

    returner: SerialReturner

    @property
    def rate(self):
        return return_rate(self.returner.units_returned, self.returner.units_bought)


def _units(row: RateRow) -> str:
    return _("%(returned)s of %(sold)s units") % {
        "returned": row.returned,
        "sold": row.sold,
    }


@dataclass(frozen=True)
class ReturnDashboard:
    period: Period
    policy: ReturnPolicy
    min_units_sold: int
    membership: MembershipRates
    reasons: list[RateRow]
    products: list[RateRow]
    variants: list[RateRow]
    categories: list[RateRow]
    customers: list[RateRow]
    not_as_described: list[RateRow]
    wrong_size: list[RateRow]
    serial_returners: list[SerialRow]
    charts: dict[str, BarChart]

    @property
    def membership_rows(self) -> list[RateRow]:
        return self.membership.rows

    @property
    def headline(self) -> str:
        """ "Members return X% of units, non-members Y%"."""
        return _(
            "Members return %(members)s%% of the units they buy, non-members "
            "%(guests)s%%."
        ) % {
            "members": self.membership.members.rate,
            "guests": self.membership.guests.rate,
        }

    @property
    def tiers_line(self) -> str:
        """ "By tier: 一般會員 X%, 銀卡 Y%, …" (tiers with sales only)."""
        parts = [
            f"{row.label} {row.rate}%" for row in self.membership.tiers if row.sold
        ]
        if not parts:
            return ""
        return _("By tier: %(tiers)s.") % {"tiers": ", ".join(parts)}

    @property
    def overall_rate(self):
        members, guests = self.membership.members, self.membership.guests
        return return_rate(
            members.returned + guests.returned, members.sold + guests.sold
        )


def return_dashboard(*, days: int, now: datetime | None = None) -> ReturnDashboard:
    """Every figure of the dashboard for the `days` days up to `now`."""
    period = rates.analytics_period(days=days, now=now)
    membership = rates.rates_by_membership(period=period)
    reasons = rates.rates_by_reason(period=period)
    products = rates.rates_by_product(period=period)
    variants = rates.rates_by_variant(period=period)
    categories = rates.rates_by_category(period=period)
    customers = rates.rates_by_customer(period=period)
    described = rates.top_products_for_reasons(
        period=period, reasons=rates.DESCRIPTION_REASONS
    )
    size = rates.top_products_for_reasons(period=period, reasons=rates.SIZE_REASONS)
    charts = {
        "membership": bar_chart(
            key="membership",
            title=_("Return rate: members and non-members"),
            description=_(
                "Units returned per 100 units sold, for members (and each tier) "
                "and non-members."
            ),
            rows=membership.rows,
            note=_units,
        ),
        "reasons": bar_chart(
            key="reasons",
            title=_("Units returned by reason"),
            description=_("How many units were returned for each reason."),
            rows=[row for row in reasons if row.returned],
            value=lambda row: row.returned,
            value_text=lambda row: str(row.returned),
        ),
        "products": bar_chart(
            key="products",
            title=_("Products with the highest return rate"),
            description=_(
                "Units returned per 100 units sold, for products with at least "
                "%(n)s units sold."
            )
            % {"n": rates.MIN_UNITS_SOLD},
            rows=products,
            note=_units,
        ),
        "categories": bar_chart(
            key="categories",
            title=_("Return rate by category"),
            description=_("Units returned per 100 units sold, by category."),
            rows=categories,
            note=_units,
        ),
    }
    return ReturnDashboard(
        period=period,
        policy=return_policy(),
        min_units_sold=rates.MIN_UNITS_SOLD,
        membership=membership,
        reasons=reasons,
        products=products,
        variants=variants,
        categories=categories,
        customers=customers,
        not_as_described=described,
        wrong_size=size,
        serial_returners=[SerialRow(row) for row in serial_returners_flagged()],
        charts=charts,
    )
