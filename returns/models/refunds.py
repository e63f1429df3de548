"""Refunds: money, points and credit given back for returned units.

A `Refund` is written with a unique idempotency key under a lock on its return
request before any gateway call; a retry with the same key finds it. Each
refunded unit is a `RefundUnit` row, unique per order line and unit index: the
database itself refuses to refund a unit twice, so the sum refunded can never
exceed what was paid for those units.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loyalty.models.links import optional_link

MONEY = {"max_digits": 12, "decimal_places": 2}


class RefundStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("refund", "Pending")
    SUCCEEDED = "succeeded", _("Refunded")
    # Recorded; the bank transfer is still to be paid by the merchant.
    TRANSFER_DUE = "transfer_due", _("Bank transfer to pay")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    request = models.ForeignKey(
        "returns.ReturnRequest", on_delete=models.PROTECT, related_name="refunds"
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="refunds"
    )
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RefundStatus.choices,
        default=RefundStatus.PENDING,
        db_index=True,
    )
    currency = models.CharField(_("currency"), max_length=3)
    # The units' value after every order-level adjustment, plus shipping, less fees.
    total = models.DecimalField(_("total"), **MONEY)
    # How it goes back: to the original payment, as credit, as points.
    to_payment = models.DecimalField(_("to the original payment"), default=0, **MONEY)
    to_credit = models.DecimalField(_("as shopping credit"), default=0, **MONEY)
    credit_bonus = models.DecimalField(_("credit bonus"), default=0, **MONEY)
    points_restored = models.IntegerField(_("points given back"), default=0)
    points_reversed = models.IntegerField(_("earned points taken back"), default=0)
    shipping_refunded = models.DecimalField(_("shipping refunded"), default=0, **MONEY)
    fees = models.DecimalField(_("fees"), default=0, **MONEY)
    # Value of reversed points already spent, taken from the refund (by policy).
    points_deduction = models.DecimalField(
        _("spent points deducted"), default=0, **MONEY
    )
    payment_method = models.CharField(_("payment method"), max_length=30, blank=True)
    gateway_reference = models.CharField(
        _("provider reference"), max_length=100, blank=True
    )
    breakdown = models.JSONField(_("breakdown"), default=dict)
    actor = optional_link(settings.AUTH_USER_MODEL, verbose_name=_("by"))
    created_at = models.DateTimeField(_("created"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0)
                & Q(to_payment__gte=0)
                & Q(to_credit__gte=0)
                & Q(fees__gte=0),
                name="refund_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.request_id} {self.total}"


class RefundUnit(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="units")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="refund_units"
    )
    unit_index = models.PositiveIntegerField()
    # What the unit cost after its share of discounts, and how it was paid.
    value = models.DecimalField(_("value"), **MONEY)
    paid_with_points = models.DecimalField(default=0, **MONEY)
    paid_with_credit = models.DecimalField(default=0, **MONEY)
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_line", "unit_index"], name="unit_refunded_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="refund_unit_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.order_line_id}#{self.unit_index}"
