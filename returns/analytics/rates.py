"""Return rates: units returned per 100 units sold, grouped many ways.

Every figure is a cohort of delivered orders: the units of the orders
delivered in the period (delivery or convenience-store pickup, the moment the
return window opens), and the units asked back from those same orders. So a
rate never passes 100%, and a return asked for today counts against the month
its order arrived. A return counts unless it was rejected, cancelled or
expired (`returns.selectors.FREED_STATUSES`), whatever its outcome.

Each selector is a fixed number of aggregate queries grouped in the database:
the units returned per group, then the units sold of the groups that had
returns; Python only merges and ranks those groups. So the dashboard costs
the same number of queries for ten orders or a million.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from loyalty.selectors.programme import tiers_active
from returns.models import ReturnLine, ReturnReason
from returns.selectors import FREED_STATUSES
from shop.orders.models import OrderLine

# The periods the dashboard offers, in days; the first is the default.
PERIOD_CHOICES = (30, 90, 365)
# A product sold once and returned once is not "the most returned product".
MIN_UNITS_SOLD = 5
TOP_ROWS = 10
# Reasons that say the product page or the size guide misled the shopper.
DESCRIPTION_REASONS = (ReturnReason.NOT_AS_DESCRIBED,)
SIZE_REASONS = (ReturnReason.WRONG_SIZE,)


@dataclass(frozen=True)
class Period:
    """[start, end): orders delivered in it are the cohort."""

    start: datetime
    end: datetime
    days: int


def analytics_period(*, days: int, now: datetime | None = None) -> Period:
    """The `days` days up to `now` (an unknown length falls back to the first)."""
    if days not in PERIOD_CHOICES:
        days = PERIOD_CHOICES[0]
    end = now or timezone.now()
    return Period(start=end - timedelta(days=days), end=end, days=days)


def return_rate(returned: int, sold: int) -> Decimal:
    """Units returned per 100 sold, to one decimal (0 when nothing was sold)."""
    if not sold:
        return Decimal("0.0")
    return (Decimal(returned) * 100 / sold).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class RateRow:
    """One group's figures: units sold, units returned, requests, the rate."""

    key: object
    label: str
    sold: int
    returned: int
    requests: int = 0
    url: str = ""
    detail: str = ""
    # 1 for a breakdown of the row above it (a tier under the members).
    level: int = 0

    @property
    def rate(self) -> Decimal:
        return return_rate(self.returned, self.sold)


def _sold(period: Period) -> QuerySet[OrderLine]:
    return OrderLine.objects.filter(
        order__delivered_at__gte=period.start, order__delivered_at__lt=period.end
    )


def _returned(period: Period, reasons: Iterable[str] | None = None):
    rows = ReturnLine.objects.filter(
        order_line__order__delivered_at__gte=period.start,
        order_line__order__delivered_at__lt=period.end,
    ).exclude(request__status__in=FREED_STATUSES)
    if reasons is not None:
        rows = rows.filter(reason__in=list(reasons))
    return rows


def _grouped(
    period: Period,
    key: str,
    labels: tuple[str, ...] = (),
    *,
    reasons: Iterable[str] | None = None,
    min_sold: int = 1,
    by_rate: bool = True,
    limit: int | None = TOP_ROWS,
) -> list[dict]:
    """Groups of delivered lines by `key` (an OrderLine path) that had returns.

    Two aggregate queries: the units returned (of `reasons`, when given) and
    the requests per group, then the units sold of those groups only. Each
    dict has `key`, the `labels`, `sold`, `returned` and `requests`; groups
    with fewer than `min_sold` units sold are left out. Highest rate first
    (`by_rate`) or most units returned first, then the other, then the key.
    """
    returned_key = f"order_line__{key}"
    returns = _returned(period, reasons).exclude(**{f"{returned_key}__isnull": True})
    returned = {
        row[returned_key]: row
        for row in returns.order_by()
        .values(returned_key)
        .annotate(units=Sum("quantity"), requests=Count("request", distinct=True))
    }
    if not returned:
        return []
    rows = []
    for row in (
        _sold(period)
        .filter(**{f"{key}__in": returns.order_by().values(returned_key)})
        .order_by()
        .values(key, *labels)
        .annotate(sold=Sum("quantity"))
    ):
        if row["sold"] < min_sold:
            continue
        found = returned[row[key]]
        row.update(key=row[key], returned=found["units"], requests=found["requests"])
        rows.append(row)

    def rank(row):
        rate = row["returned"] / row["sold"]
        first, second = (rate, row["returned"]) if by_rate else (row["returned"], rate)
        return (-first, -second, str(row["key"]))

    rows.sort(key=rank)
    return rows[:limit] if limit else rows


def _rate_row(row: dict, **fields) -> RateRow:
    """A `_grouped` row as a RateRow, with its own label, detail or url."""
    return RateRow(
        key=row["key"],
        sold=row["sold"],
        returned=row["returned"],
        requests=row["requests"],
        **fields,
    )


def _product_url(pk) -> str:
    return reverse("admin:catalog_product_change", args=[pk]) if pk else ""


def _product_rows(rows: list[dict]) -> list[RateRow]:
    return [
        _rate_row(row, label=row["product__title"], url=_product_url(row["key"]))
        for row in rows
    ]


def rates_by_product(
    *, period: Period, min_sold: int = MIN_UNITS_SOLD, limit: int = TOP_ROWS
) -> list[RateRow]:
    """The products returned most often per unit sold (at least `min_sold` sold)."""
    rows = _grouped(
        period, "product_id", ("product__title",), min_sold=min_sold, limit=limit
    )
    return _product_rows(rows)


def rates_by_variant(
    *, period: Period, min_sold: int = MIN_UNITS_SOLD, limit: int = TOP_ROWS
) -> list[RateRow]:
    """The variants (SKUs) returned most often per unit sold."""
    rows = _grouped(
        period,
        "variant_id",
        ("variant__sku", "variant__product_id", "variant__product__title"),
        min_sold=min_sold,
        limit=limit,
    )
    return [
        _rate_row(
            row,
            label=row["variant__product__title"],
            detail=row["variant__sku"],
            url=_product_url(row["variant__product_id"]),
        )
        for row in rows
    ]


def rates_by_category(
    *, period: Period, min_sold: int = MIN_UNITS_SOLD, limit: int = TOP_ROWS
) -> list[RateRow]:
    """The categories (the product's own, not its parents) by return rate."""
    rows = _grouped(
        period,
        "product__category_id",
        ("product__category__name",),
        min_sold=min_sold,
        limit=limit,
    )
    return [_rate_row(row, label=row["product__category__name"]) for row in rows]


def rates_by_customer(
    *, period: Period, min_sold: int = 1, limit: int = TOP_ROWS
) -> list[RateRow]:
    """The customers (with an account) returning most per unit bought."""
    rows = _grouped(
        period,
        "order__user_id",
        ("order__user__email", "order__user__name"),
        min_sold=min_sold,
        limit=limit,
    )
    return [
        _rate_row(
            row,
            label=row["order__user__name"] or row["order__user__email"],
            detail=row["order__user__email"],
            url=reverse("admin:accounts_user_change", args=[row["key"]]),
        )
        for row in rows
    ]


def top_products_for_reasons(
    *, period: Period, reasons: Iterable[str], limit: int = TOP_ROWS
) -> list[RateRow]:
    """The products most often returned for `reasons`, with a link to fix them.

    Ranked by units returned for those reasons (a page that misleads many
    shoppers first), then by rate; the rate is of all units sold.
    """
    rows = _grouped(
        period,
        "product_id",
        ("product__title",),
        reasons=tuple(reasons),
        by_rate=False,
        limit=limit,
    )
    return _product_rows(rows)


def rates_by_reason(*, period: Period) -> list[RateRow]:
    """Every reason with its units and requests, as a share of all units sold.

    Two queries: the units sold in the period, and the returns by reason. A
    request with lines of two reasons counts once under each. Most units first.
    """
    sold = _sold(period).aggregate(n=Sum("quantity"))["n"] or 0
    found = {
        row["reason"]: row
        for row in _returned(period)
        .order_by()
        .values("reason")
        .annotate(returned=Sum("quantity"), requests=Count("request", distinct=True))
    }
    rows = [
        RateRow(
            key=reason.value,
            label=str(reason.label),
            sold=sold,
            returned=found.get(reason.value, {}).get("returned", 0),
            requests=found.get(reason.value, {}).get("requests", 0),
        )
        for reason in ReturnReason
    ]
    return sorted(rows, key=lambda row: -row.returned)


@dataclass(frozen=True)
class MembershipRates:
    """Members (orders with an account) against guests, and members by tier."""

    members: RateRow
    guests: RateRow
    tiers: list[RateRow]

    @property
    def rows(self) -> list[RateRow]:
        """Members, each tier under them, then the guests (chart and table order)."""
        return [self.members, *self.tiers, self.guests]


def rates_by_membership(*, period: Period) -> MembershipRates:
    """Return rates of members and guests, then of each tier of the active scheme.

    An order counts as a member's when it was placed with an account. The tier
    is the member's tier now (tiers are matched by code across scheme
    versions), not the one they had when they bought. Four aggregate queries,
    plus the cached active tiers.
    """
    member = Q(order__user__isnull=False)
    sold = _sold(period).aggregate(
        members=Coalesce(Sum("quantity", filter=member), 0),
        guests=Coalesce(Sum("quantity", filter=~member), 0),
    )
    returned_member = Q(order_line__order__user__isnull=False)
    returned = _returned(period).aggregate(
        members=Coalesce(Sum("quantity", filter=returned_member), 0),
        guests=Coalesce(Sum("quantity", filter=~returned_member), 0),
        member_requests=Count("request", distinct=True, filter=returned_member),
        guest_requests=Count("request", distinct=True, filter=~returned_member),
    )
    tier = "order__user__membership__tier__code"
    returned_by_tier = {
        row[f"order_line__{tier}"]: row
        for row in _returned(period)
        .exclude(order_line__order__user__membership__isnull=True)
        .order_by()
        .values(f"order_line__{tier}")
        .annotate(units=Sum("quantity"), requests=Count("request", distinct=True))
    }
    sold_by_tier = dict(
        _sold(period)
        .exclude(order__user__membership__isnull=True)
        .order_by()
        .values_list(tier)
        .annotate(n=Sum("quantity"))
    )
    tiers = [
        RateRow(
            key=tier.code,
            label=tier.display_name,
            sold=sold_by_tier.get(tier.code, 0),
            returned=returned_by_tier.get(tier.code, {}).get("units", 0),
            requests=returned_by_tier.get(tier.code, {}).get("requests", 0),
            level=1,
        )
        for tier in tiers_active()
    ]
    return MembershipRates(
        members=RateRow(
            key="members",
            label=pgettext("return analytics", "Members"),
            sold=sold["members"],
            returned=returned["members"],
            requests=returned["member_requests"],
        ),
        guests=RateRow(
            key="guests",
            label=pgettext("return analytics", "Non-members"),
            sold=sold["guests"],
            returned=returned["guests"],
            requests=returned["guest_requests"],
        ),
        tiers=tiers,
    )
