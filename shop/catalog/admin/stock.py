"""The stock ledger."""

from django.contrib import admin

from shop.catalog.models import StockMovement
from shop.core.admin import ReadOnlyAdminMixin


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The stock ledger, read only: stock changes through sales, returns and counts."""

    list_display = ("created_at", "variant", "delta", "stock_after", "reason", "actor")
    list_filter = ("reason",)
    list_select_related = ("variant__product", "actor")
    search_fields = ("variant__sku", "reference")
    show_full_result_count = False
