"""The merchant's return policy, and the copy of it frozen on each order.

The statutory cooling-off period (鑑賞期, `settings.COOLING_OFF_DAYS`) allows
no fees; the merchant's own, longer window may charge a restocking fee and the
return shipping. `OrderReturnPolicy` is written in the placement transaction,
so a later policy change never shortens anyone's window.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class ShippingRefundRule(models.TextChoices):
    ALL_RETURNED = "all_returned", _("Only when everything is returned")
    COOLING_OFF = "cooling_off", _("Always inside the cooling-off period")
    NEVER = "never", pgettext_lazy("shipping refund", "Never")


class ReversedPointsRule(models.TextChoices):
    NEGATIVE_BALANCE = "negative", _("Allow a negative points balance")
    DEDUCT_FROM_REFUND = "deduct", _("Deduct their value from the refund")


class PolicyTerms(models.Model):
    """The terms both the policy and its per-order snapshot carry."""

    cooling_off_days = models.PositiveSmallIntegerField(
        _("cooling-off period (days)"), default=7
    )
    merchant_window_days = models.PositiveSmallIntegerField(
        _("return window (days after delivery)"),
        default=30,
        help_text=_("At least the cooling-off period."),
    )
    restocking_fee_percent = models.DecimalField(
        _("restocking fee outside the cooling-off period (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )
    return_shipping_fee = models.DecimalField(
        _("return shipping charged outside the cooling-off period"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    shipping_refund_rule = models.CharField(
        _("the order's shipping is refunded"),
        max_length=20,
        choices=ShippingRefundRule.choices,
        default=ShippingRefundRule.ALL_RETURNED,
    )
    credit_bonus_percent = models.DecimalField(
        _("bonus for choosing shopping credit (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )

    class Meta:
        abstract = True


class ReturnPolicy(PolicyTerms):
    """The policy for new orders: one row (pk 1), edited by the merchant."""

    refund_deadline_days = models.PositiveSmallIntegerField(
        _("refund within (days after receiving the return)"), default=15
    )
    ship_within_days = models.PositiveSmallIntegerField(
        _("an approved return expires unless shipped within (days)"), default=14
    )
    reversed_points_rule = models.CharField(
        _("when reversed points were already spent"),
        max_length=10,
        choices=ReversedPointsRule.choices,
        default=ReversedPointsRule.NEGATIVE_BALANCE,
    )
    serial_returner_rate = models.PositiveSmallIntegerField(
        _("flag customers returning more than this percentage of the units bought"),
        default=40,
        validators=[MaxValueValidator(100)],
    )
    serial_returner_min_returns = models.PositiveSmallIntegerField(
        _("… and at least this many returns"), default=3
    )
    serial_returner_suspends_credit_bonus = models.BooleanField(
        _("flagged customers get no shopping-credit bonus"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("return policy")
        verbose_name_plural = _("return policy")

    def __str__(self):
        return str(_("Return policy"))


class OrderReturnPolicy(PolicyTerms):
    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="return_policy"
    )
    reversed_points_rule = models.CharField(
        max_length=10,
        choices=ReversedPointsRule.choices,
        default=ReversedPointsRule.NEGATIVE_BALANCE,
    )
    captured_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order return policy")
        verbose_name_plural = _("order return policies")

    def __str__(self):
        return str(self.order_id)
