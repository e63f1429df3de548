"""Changelist filters and search of the loyalty back office.

Every filter reads an indexed column of the member row (tier, total spend,
last order) or a condition cheap on the row itself, so filtering a million
members stays an index scan. Search resolves the customer first (a full
email or phone number hits the customer table's index) and then filters the
big table by those ids.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loyalty.models import Membership
from loyalty.selectors.programme import tiers_active
from shop.accounts.models import User
from shop.accounts.validators import normalize_phone
from shop.core.money import format_money
from shop.orders.models import Order


class TierFilter(admin.SimpleListFilter):
    title = _("tier")
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return [(tier.code, tier.display_name) for tier in tiers_active()]

    def queryset(self, request, queryset):
        if self.value():
            # By code: a member keeps their tier's code across scheme versions.
            return queryset.filter(tier__code=self.value())
        return queryset


class PointsFilter(admin.SimpleListFilter):
    title = _("points")
    parameter_name = "points"

    def lookups(self, request, model_admin):
        return [
            ("available", _("Has points to spend")),
            ("pending", _("Has pending points")),
            ("none", _("No points")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "available":
            return queryset.filter(points_available__gt=0)
        if value == "pending":
            return queryset.filter(points_pending__gt=0)
        if value == "none":
            return queryset.filter(points_available=0, points_pending=0)
        return queryset


class LastOrderFilter(admin.SimpleListFilter):
    title = _("last order")
    parameter_name = "last_order"
    # value → (days back the last order is within; None: see queryset)
    WITHIN = {"30d": 30, "90d": 90, "12m": 365}

    def lookups(self, request, model_admin):
        return [
            ("30d", _("In the last 30 days")),
            ("90d", _("In the last 90 days")),
            ("12m", _("In the last 12 months")),
            ("older", _("More than 12 months ago")),
            ("never", _("Never ordered")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        now = timezone.now()
        if value in self.WITHIN:
            return queryset.filter(
                last_order_at__gte=now - timedelta(days=self.WITHIN[value])
            )
        if value == "older":
            return queryset.filter(last_order_at__lt=now - timedelta(days=365))
        if value == "never":
            return queryset.filter(last_order_at__isnull=True)
        return queryset


# Lifetime qualifying spend, in the shop's currency: (value, from, under).
SPEND_RANGES: list[tuple[str, Decimal | None, Decimal | None]] = [
    ("0", None, Decimal("0.01")),
    ("1-999", Decimal("0.01"), Decimal("1000")),
    ("1000-4999", Decimal("1000"), Decimal("5000")),
    ("5000-14999", Decimal("5000"), Decimal("15000")),
    ("15000-39999", Decimal("15000"), Decimal("40000")),
    ("40000+", Decimal("40000"), None),
]


class SpendFilter(admin.SimpleListFilter):
    title = _("total spend")
    parameter_name = "spend"

    def lookups(self, request, model_admin):
        choices = []
        for value, low, high in SPEND_RANGES:
            if low is None:
                label = gettext("No spend yet")
            elif high is None:
                label = gettext("%(low)s or more") % {"low": format_money(low)}
            elif low < 1:
                label = gettext("Under %(high)s") % {"high": format_money(high)}
            else:
                label = gettext("%(low)s to under %(high)s") % {
                    "low": format_money(low),
                    "high": format_money(high),
                }
            choices.append((value, label))
        return choices

    def queryset(self, request, queryset):
        for value, low, high in SPEND_RANGES:
            if self.value() == value:
                if low is not None:
                    queryset = queryset.filter(total_spend__gte=low)
                if high is not None:
                    queryset = queryset.filter(total_spend__lt=high)
                return queryset
        return queryset


# --- Search ---------------------------------------------------------------------


def _email(term: str) -> bool:
    try:
        validate_email(term)
    except ValidationError:
        return False
    return True


def search_term_phone(term: str) -> str | None:
    """A search term as a stored phone number, or None if it cannot be one."""
    if not any(ch.isdigit() for ch in term):
        return None
    try:
        return normalize_phone(term)
    except ValidationError:
        return None


def customers_matching(term: str, *, partial: bool) -> QuerySet | None:
    """The customers `term` names, as a subquery of ids; None for no term.

    A full email address or a phone number (any way people write it) is an
    exact, indexed match. Otherwise, with `partial`, part of the name or of
    the email address (a scan of the customer table, not of the big one).
    """
    term = term.strip()
    if not term:
        return None
    users = User.objects.order_by()
    if _email(term):
        return users.filter(email__in={term, term.lower()}).values("pk")
    phone = search_term_phone(term)
    if phone is not None:
        return users.filter(phone=phone).values("pk")
    if partial:
        return users.filter(Q(email__icontains=term) | Q(name__icontains=term)).values(
            "pk"
        )
    return users.none().values("pk")


def ledger_search(queryset: QuerySet, term: str) -> QuerySet:
    """Rows of a member's (email or phone) or of an order (its number)."""
    term = term.strip()
    if not term:
        return queryset
    customers = customers_matching(term, partial=False)
    members = Membership.objects.order_by().filter(user__in=customers).values("pk")
    orders = (
        Order.objects.order_by().filter(number__in={term, term.upper()}).values("pk")
    )
    return queryset.filter(Q(membership__in=members) | Q(order__in=orders))
