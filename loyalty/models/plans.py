"""What members buy from the shop itself: top-ups (儲值) and paid membership (訂閱制).

A `Purchase` is paid through a hosted payment gateway like an order, with its
own reference ("P" + number) and its own notices (`PurchaseNotification`, for
replays). Once paid, a top-up becomes two credit lots (paid part, bonus) and a
membership purchase starts or extends a `PaidMembership` period. Renewal is
paying again: no card is stored.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("1"))]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class TopUpPlan(models.Model):
    """ "Top up NT$1,000, get NT$1,100": `price` paid, `bonus` added on top."""

    name = models.CharField(_("name"), max_length=100)
    price = models.DecimalField(_("price"), validators=POSITIVE, **MONEY)
    bonus = models.DecimalField(
        _("bonus credit"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    bonus_valid_days = models.PositiveSmallIntegerField(
        _("bonus valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the bonus never expires. The paid part never expires."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("top-up plan")
        verbose_name_plural = _("top-up plans")
        ordering = ["position", "price", "id"]

    def __str__(self):
        return self.name


class PlanPeriod(models.TextChoices):
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class MembershipPlan(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    description = models.TextField(_("description"), blank=True)
    period = models.CharField(
        _("period"), max_length=10, choices=PlanPeriod.choices, default=PlanPeriod.MONTH
    )
    price = models.DecimalField(_("price"), validators=POSITIVE, **MONEY)
    free_shipping = models.BooleanField(_("free shipping"), default=False)
    extra_discount_percent = models.DecimalField(
        _("extra discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )
    min_tier_code = models.SlugField(
        _("at least this tier while active"), max_length=30, blank=True
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("membership plan")
        verbose_name_plural = _("membership plans")
        ordering = ["position", "price", "id"]

    def __str__(self):
        return self.name


class PurchaseKind(models.TextChoices):
    TOPUP = "topup", _("Top-up")
    MEMBERSHIP = "membership", _("Paid membership")


class PurchaseStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Purchase(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="loyalty_purchases",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PurchaseKind.choices)
    topup_plan = models.ForeignKey(
        TopUpPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    membership_plan = models.ForeignKey(
        MembershipPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Frozen from the plan when the purchase starts.
    description = models.CharField(_("what"), max_length=150)
    amount = models.DecimalField(_("amount"), **MONEY)
    bonus = models.DecimalField(_("bonus credit"), default=0, **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    gateway = models.CharField(_("payment method"), max_length=30)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PurchaseStatus.choices,
        default=PurchaseStatus.PENDING,
        db_index=True,
    )
    transaction_id = models.CharField(
        _("provider reference"), max_length=100, blank=True
    )
    refunded_amount = models.DecimalField(_("refunded"), default=0, **MONEY)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        verbose_name = _("top-up or membership purchase")
        verbose_name_plural = _("top-ups and membership purchases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0)
                & Q(refunded_amount__lte=models.F("amount")),
                name="purchase_refund_within_amount",
            ),
        ]

    def __str__(self):
        return self.number


class PurchaseNotification(models.Model):
    """A provider notice applied to a purchase; its id is never applied twice."""

    gateway = models.CharField(max_length=30)
    notification_id = models.CharField(max_length=100)
    purchase = models.ForeignKey(
        Purchase, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField(max_length=10)
    amount = models.DecimalField(**MONEY)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "notification_id"],
                name="purchase_notification_once",
            )
        ]

    def __str__(self):
        return f"{self.gateway} {self.notification_id}"


class PaidMembershipStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("paid membership", "Active")
    CANCELLED = "cancelled", _("Cancelled, ends at period end")
    LAPSED = "lapsed", _("Ended")
    REFUNDED = "refunded", _("Refunded")


class PaidMembership(models.Model):
    """One paid period after another; the latest row is the member's subscription."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="paid_memberships",
    )
    plan = models.ForeignKey(
        MembershipPlan, on_delete=models.PROTECT, related_name="subscriptions"
    )
    purchase = models.OneToOneField(
        Purchase, on_delete=models.PROTECT, related_name="paid_membership"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PaidMembershipStatus.choices,
        default=PaidMembershipStatus.ACTIVE,
        db_index=True,
    )
    # Benefits hold from `starts_at` until `ends_at` (exclusive).
    starts_at = models.DateTimeField(pgettext_lazy("period", "from"))
    ends_at = models.DateTimeField(_("until"), db_index=True)
    # Set when an order used a benefit of the plan: no more "refund if unused".
    benefit_used_at = models.DateTimeField(
        _("benefit first used"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("paid membership")
        verbose_name_plural = _("paid memberships")
        ordering = ["-ends_at", "-id"]
        indexes = [models.Index(fields=["user", "-ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="paid_membership_period_positive",
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.user_id}"
