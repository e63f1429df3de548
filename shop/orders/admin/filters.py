"""Changelist filters of the orders back office."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.orders import selectors
from shop.orders.models import Order
from shop.orders.status import PaymentStatus


class PaymentStatusFilter(admin.SimpleListFilter):
    title = _("payment status")
    parameter_name = "payment_status"

    def lookups(self, request, model_admin):
        return PaymentStatus.choices

    def queryset(self, request, queryset):
        if self.value() in PaymentStatus.values:
            # `payment_status` is the latest payment's, annotated by get_queryset.
            return queryset.filter(payment_status=self.value())
        return queryset


class PaymentMethodFilter(admin.SimpleListFilter):
    title = _("payment method")
    parameter_name = "payment_method"

    def lookups(self, request, model_admin):
        codes = Order.objects.order_by().values_list("payment_method", flat=True)
        return [
            (code, selectors.payment_method_label(code)) for code in sorted(set(codes))
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(payment_method=self.value())
        return queryset


class ShippingMethodFilter(admin.SimpleListFilter):
    title = _("shipping method")
    parameter_name = "shipping_method"

    def lookups(self, request, model_admin):
        pairs = (
            Order.objects.order_by()
            .values_list("shipping_method_code", "shipping_method_name")
            .distinct()
        )
        names: dict[str, str] = {}
        for code, name in pairs:
            names.setdefault(code, name)
        return sorted(names.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(shipping_method_code=self.value())
        return queryset
