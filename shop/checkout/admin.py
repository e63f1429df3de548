from django.contrib import admin

from shop.checkout.models import PaymentNotification, ShippingMethod
from shop.core.admin import ReadOnlyAdminMixin


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "fee",
        "free_shipping_threshold",
        "is_active",
        "position",
    ]
    list_editable = ["fee", "free_shipping_threshold", "is_active", "position"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["position", "id"]


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only ledger of what providers told the shop."""

    list_display = [
        "received_at",
        "gateway",
        "notification_id",
        "order",
        "status",
        "amount",
        "outcome",
    ]
    list_filter = ["gateway", "outcome", "status"]
    search_fields = ["notification_id", "order__number"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "payment"]
    show_full_result_count = False
    date_hierarchy = "received_at"
