"""CSV export of the member list: the list's columns, streamed.

Rows are read as plain values in chunks (a server-side cursor on
PostgreSQL), so exporting a million members keeps a flat memory profile and
costs one query plus one for the tier names.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loyalty.models import Membership, Tier
from shop.core.money import money_round

COLUMNS = [
    ("email", _("Email")),
    ("name", _("Name")),
    ("tier", _("Tier")),
    ("points_available", _("Points available")),
    ("points_pending", _("Points pending")),
    ("total_spend", _("Total spend")),
    ("order_count", _("Orders")),
    ("last_order_at", _("Last order")),
    ("joined_at", _("Joined on")),
]

_VALUES = (
    "user__email",
    "user__name",
    "tier_id",
    "points_available",
    "points_pending",
    "total_spend",
    "order_count",
    "last_order_at",
    "joined_at",
)

# A cell starting with one of these is a formula to a spreadsheet; a member's
# name must never run as one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _when(value, tz) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


class _Echo:
    def write(self, value):
        return value


def members_csv_rows(members: QuerySet[Membership]) -> Iterator[str]:
    """The CSV text line by line: a byte-order mark (Excel then reads Chinese
    right), the header, one line per member in the queryset's order.

    The header and tier names are translated now, in the request's language;
    the rows are read while the response streams.
    """
    writer = csv.writer(_Echo())
    header = writer.writerow([str(label) for _key, label in COLUMNS])
    tier_names = {tier.pk: tier.display_name for tier in Tier.objects.all()}
    currency = settings.SHOP_CURRENCY
    # Looked up once: per row it would cost more than the row's database read.
    tz = timezone.get_current_timezone()
    rows = members.select_related(None).values_list(*_VALUES)

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield header
        for (
            email,
            name,
            tier_id,
            available,
            pending,
            spend,
            orders,
            last,
            joined,
        ) in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _safe(email),
                    _safe(name),
                    _safe(tier_names.get(tier_id, "")),
                    available,
                    pending,
                    money_round(spend, currency),
                    orders,
                    _when(last, tz),
                    _when(joined, tz),
                ]
            )

    return lines()
