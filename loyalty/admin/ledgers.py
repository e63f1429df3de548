"""The loyalty ledgers, read-only: points entries and lots, tier changes, spend.

Rows are written only by the services (orders, beat tasks, staff adjustments
through the member's page), so nothing here adds, changes or deletes. Each
list reads its rows with their member and order in one query, counts only
what the filters select, and searches by a member's full email address or
phone number, or an order number, all through indexes.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from loyalty.admin.filters import ledger_search
from loyalty.admin.member_page import when
from loyalty.admin.paginator import LargeTablePaginator
from loyalty.models import PointsEntry, PointsLot, QualifyingSpend, TierChange
from shop.core.admin import ReadOnlyAdminMixin
from shop.core.money import format_money

LEDGER_SEARCH_HELP = _(
    "Search by a member's full email address or phone number, or by an order number."
)


class LedgerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What the ledgers share: read-only, big-table pagination, exact search."""

    # The search box; `get_search_results` decides what a term matches.
    search_fields = ("membership__user__email",)
    search_help_text = LEDGER_SEARCH_HELP
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 100

    def get_search_results(self, request, queryset, search_term):
        return ledger_search(queryset, search_term), False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.display(description=_("member"))
    def member(self, row):
        user = row.membership.user
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:loyalty_membership_change", args=[row.membership_id]),
            user.email,
        )

    @admin.display(description=_("order"))
    def order_number(self, row):
        if row.order_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:orders_order_change", args=[row.order_id]),
            row.order.number,
        )


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "—"


@admin.register(PointsEntry)
class PointsEntryAdmin(LedgerAdmin):
    list_display = (
        "created_at",
        "member",
        "kind",
        "points_display",
        "pending_display",
        "order_number",
        "reason",
        "campaign",
        "actor",
    )
    list_display_links = ("created_at",)
    list_filter = ("kind", "created_at")
    list_select_related = ("membership__user", "order", "actor")
    raw_id_fields = ("membership", "lot", "order", "order_line", "actor")
    ordering = ("-created_at", "-id")
    sortable_by = ("created_at",)

    @admin.display(description=_("available points"))
    def points_display(self, entry):
        return _signed(entry.points)

    @admin.display(description=_("pending points"))
    def pending_display(self, entry):
        return _signed(entry.pending_points)


@admin.register(PointsLot)
class PointsLotAdmin(LedgerAdmin):
    list_display = (
        "created_at",
        "member",
        "status",
        "points",
        "remaining",
        "available_at",
        "expires_at",
        "order_number",
    )
    list_display_links = ("created_at",)
    list_filter = ("status", "expires_at")
    list_select_related = ("membership__user", "order")
    raw_id_fields = ("membership", "order", "order_line")
    # Newest first by primary key: lots have no index on their dates but the
    # expiry ones the beat tasks use.
    ordering = ("-id",)
    sortable_by = ()


@admin.register(TierChange)
class TierChangeAdmin(LedgerAdmin):
    list_display = (
        "created_at",
        "member",
        "kind",
        "from_display",
        "to_display",
        "expires_on",
        "reason",
        "order_number",
        "actor",
    )
    list_display_links = ("created_at",)
    list_filter = ("kind", "created_at")
    list_select_related = ("membership__user", "from_tier", "to_tier", "order", "actor")
    raw_id_fields = ("membership", "from_tier", "to_tier", "order", "actor")
    ordering = ("-created_at", "-id")
    sortable_by = ("created_at",)

    @admin.display(description=_("from"))
    def from_display(self, change):
        return change.from_tier.display_name if change.from_tier_id else "—"

    @admin.display(description=_("to"))
    def to_display(self, change):
        return change.to_tier.display_name


@admin.register(QualifyingSpend)
class QualifyingSpendAdmin(LedgerAdmin):
    list_display = (
        "counted_at_display",
        "member",
        "amount_display",
        "orders",
        "order_number",
        "reason",
    )
    list_display_links = ("counted_at_display",)
    list_filter = ("counted_at",)
    list_select_related = ("membership__user", "order")
    raw_id_fields = ("membership", "order")
    # Newest first by primary key: `counted_at` is indexed per member only.
    ordering = ("-id",)
    sortable_by = ()

    @admin.display(description=_("counted at"))
    def counted_at_display(self, row):
        return when(row.counted_at)

    @admin.display(description=_("amount"))
    def amount_display(self, row):
        return format_money(row.amount)
