"""The return policy (one row, edited in place), the refunds ledger and the
serial returners, both read-only.

A refund is written by `refund_issue` only and changes by the provider's
answer or a recorded transfer (`refund_transfer_paid`), never by hand; its
breakdown carries the bank account masked. Serial returners are flagged by
the return analytics.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from returns.admin.forms import POLICY_FIELDS, ReturnPolicyForm
from returns.models import Refund, ReturnPolicy, SerialReturner
from returns.selectors import return_policy
from returns.services import return_policy_update
from shop.core.admin import ReadOnlyAdminMixin, SingletonAdminMixin
from shop.core.money import format_money


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(SingletonAdminMixin, admin.ModelAdmin):
    form = ReturnPolicyForm
    readonly_fields = ("cooling_off_days", "updated_at")
    fieldsets = (
        (
            _("Windows"),
            {
                "fields": ("cooling_off_days", "merchant_window_days"),
                "description": _(
                    "Both count from delivery or convenience-store pickup. The "
                    "cooling-off period (鑑賞期) is the law's, set for the shop "
                    "(COOLING_OFF_DAYS); no fee may be charged inside it. Orders "
                    "keep the terms in force when they were placed."
                ),
            },
        ),
        (
            _("Fees and shipping (outside the cooling-off period)"),
            {
                "fields": (
                    "restocking_fee_percent",
                    "return_shipping_fee",
                    "shipping_refund_rule",
                )
            },
        ),
        (
            _("Refunds"),
            {
                "fields": (
                    "credit_bonus_percent",
                    "refund_deadline_days",
                    "ship_within_days",
                    "reversed_points_rule",
                )
            },
        ),
        (
            _("Serial returners"),
            {
                "fields": (
                    "serial_returner_rate",
                    "serial_returner_min_returns",
                    "serial_returner_suspends_credit_bonus",
                )
            },
        ),
        (None, {"fields": ("updated_at",)}),
    )

    saved_message = _(
        "The return policy was saved. It applies to orders placed from now on."
    )

    def singleton_object(self):
        return return_policy()

    def save_model(self, request, obj, form, change):
        # Through the service: it checks the terms and clears the cached policy.
        saved = return_policy_update(
            **{name: form.cleaned_data[name] for name in POLICY_FIELDS}
        )
        obj.updated_at = saved.updated_at


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "request_link",
        "order_number",
        "status",
        "total_display",
        "to_payment_display",
        "to_credit_display",
        "points_restored",
        "points_reversed",
        "actor",
    )
    list_filter = ("status", "payment_method")
    search_fields = ("=request__number", "=order__number", "=idempotency_key")
    search_help_text = _("An RMA number, an order number or a refund key.")
    list_select_related = ("request", "order", "actor")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    ordering = ("-created_at", "-id")
    fields = (
        "request_link",
        "order_number",
        "status",
        "idempotency_key",
        "currency",
        "total",
        "to_payment",
        "to_credit",
        "credit_bonus",
        "points_restored",
        "points_reversed",
        "shipping_refunded",
        "fees",
        "points_deduction",
        "payment_method",
        "gateway_reference",
        "breakdown",
        "actor",
        "created_at",
        "completed_at",
    )
    readonly_fields = fields

    @admin.display(description=_("return"), ordering="request__number")
    def request_link(self, refund):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:returns_returnrequest_change", args=[refund.request_id]),
            refund.request.number,
        )

    @admin.display(description=_("order"), ordering="order__number")
    def order_number(self, refund):
        return refund.order.number

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, refund):
        return format_money(refund.total, refund.currency)

    @admin.display(description=_("to the original payment"))
    def to_payment_display(self, refund):
        return format_money(refund.to_payment, refund.currency)

    @admin.display(description=_("as shopping credit"))
    def to_credit_display(self, refund):
        return format_money(refund.to_credit + refund.credit_bonus, refund.currency)


@admin.register(SerialReturner)
class SerialReturnerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "customer",
        "returns_count",
        "units_returned",
        "units_bought",
        "rate_display",
        "flagged_at",
        "cleared_at",
    )
    list_filter = (("cleared_at", admin.EmptyFieldListFilter),)
    search_fields = ("=user__email",)
    list_select_related = ("user", "cleared_by")
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-flagged_at", "-id")
    fields = (
        "user",
        "returns_count",
        "units_returned",
        "units_bought",
        "rate_display",
        "flagged_at",
        "cleared_at",
        "cleared_by",
    )
    readonly_fields = fields

    @admin.display(description=_("customer"), ordering="user__email")
    def customer(self, row):
        return format_html("{} <small>{}</small>", row.user.name or "", row.user.email)

    @admin.display(description=_("return rate"))
    def rate_display(self, row):
        if not row.units_bought:
            return "—"
        return f"{row.units_returned * 100 / row.units_bought:.1f}%"
