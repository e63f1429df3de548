"""Read-only inlines of an order: lines, adjustments, payments and history."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from shop.core.admin import ReadOnlyAdminMixin
from shop.core.money import format_money
from shop.orders.models import (
    OrderAdjustment,
    OrderEvent,
    OrderLine,
    Payment,
    PaymentEvent,
)
from shop.orders.status import OrderStatus


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = (
        "product_title",
        "variant_label",
        "sku",
        "quantity",
        "unit_price",
        "price_label",
        "subtotal",
    )


class OrderAdjustmentInline(ReadOnlyInline):
    model = OrderAdjustment
    fields = readonly_fields = ("label", "kind", "code", "amount", "allocation_list")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("allocations__line")
            .order_by("position", "id")
        )

    @admin.display(description=_("allocated to lines"))
    def allocation_list(self, adjustment):
        allocations = list(adjustment.allocations.all())
        if not allocations:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "{} {}: {}",
            (
                (a.line.sku, a.line.product_title, format_money(a.amount))
                for a in sorted(allocations, key=lambda a: a.line_id)
            ),
        )


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = (
        "method",
        "status",
        "amount",
        "reference",
        "created_at",
        "paid_at",
        "history",
    )

    def get_queryset(self, request):
        events = PaymentEvent.objects.select_related("actor").order_by(
            "created_at", "id"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("events", queryset=events))
        )

    @admin.display(description=_("history"))
    def history(self, payment):
        return format_html_join(
            mark_safe("<br>"),
            "{} {} → {} {} {}",
            (
                (
                    timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                    e.from_status or "∅",
                    e.to_status,
                    e.actor or "",
                    e.note,
                )
                for e in payment.events.all()
            ),
        )


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = readonly_fields = (
        "created_at",
        "from_display",
        "to_display",
        "actor",
        "note",
    )
    verbose_name_plural = _("history")

    @admin.display(description=_("from"))
    def from_display(self, event):
        return OrderStatus(event.from_status).label if event.from_status else "—"

    @admin.display(description=_("to"))
    def to_display(self, event):
        return OrderStatus(event.to_status).label

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")
