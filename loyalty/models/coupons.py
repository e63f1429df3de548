"""Coupons (優惠券): codes anyone may type, and vouchers issued to one member.

A `Coupon` is the offer; a `MemberCoupon` is one member's copy of it (bulk
issue, birthday gift, member day). `CouponRedemption` is the usage ledger:
one row per order that used a coupon, released when the order is cancelled;
`Coupon.times_used` caches the unreleased rows and changes only under a lock
on the coupon row, so the global limit holds under concurrency.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loyalty.models.links import optional_link

MONEY = {"max_digits": 12, "decimal_places": 2}


class CouponKind(models.TextChoices):
    PERCENT = "percent", _("Percentage off")
    FIXED = "fixed", _("Amount off")
    FREE_SHIPPING = "shipping", _("Free shipping")


class Coupon(models.Model):
    name = models.CharField(_("name"), max_length=100)
    # Empty for vouchers that are only issued to members, never typed in.
    code = models.CharField(
        _("code"),
        max_length=30,
        blank=True,
        help_text=_("What shoppers type at checkout; empty for issued vouchers only."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CouponKind.choices, default=CouponKind.FIXED
    )
    # Percent for PERCENT, an amount for FIXED, unused for FREE_SHIPPING.
    value = models.DecimalField(
        _("value"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    max_discount = models.DecimalField(
        _("at most"),
        null=True,
        blank=True,
        help_text=_("Cap for a percentage coupon; empty: no cap."),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    min_spend = models.DecimalField(
        _("minimum spend"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    products = models.ManyToManyField(
        "catalog.Product",
        blank=True,
        related_name="+",
        verbose_name=_("only these products"),
    )
    categories = models.ManyToManyField(
        "catalog.Category",
        blank=True,
        related_name="+",
        verbose_name=_("only these categories"),
    )
    members_only = models.BooleanField(_("members only"), default=True)
    min_tier_code = models.SlugField(
        _("lowest tier"), max_length=30, blank=True, help_text=_("Empty: any tier.")
    )
    member_day_only = models.BooleanField(_("member day only"), default=False)
    starts_at = models.DateTimeField(_("valid from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    # Issued vouchers expire this many days after issue (or at `ends_at`).
    valid_days = models.PositiveSmallIntegerField(
        _("voucher valid for (days)"), null=True, blank=True
    )
    usage_limit = models.PositiveIntegerField(
        _("uses in total"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    per_member_limit = models.PositiveIntegerField(
        _("uses per member"), default=1, validators=[MinValueValidator(1)]
    )
    times_used = models.PositiveIntegerField(_("used"), default=0, editable=False)
    # Stacking (explained to the shopper at checkout).
    combines_with_points = models.BooleanField(
        _("can be combined with points"), default=True
    )
    combines_with_member_prices = models.BooleanField(
        _("applies to member-priced items"),
        default=True,
        help_text=_("Off: items already at a member price are left out."),
    )
    combines_with_member_day = models.BooleanField(
        _("can be combined with the member-day discount"), default=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="coupon_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True)
                | Q(times_used__lte=models.F("usage_limit")),
                name="coupon_used_within_limit",
            ),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100),
                name="coupon_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name


class MemberCoupon(models.Model):
    """A voucher in one member's wallet ("My coupons")."""

    coupon = models.ForeignKey(
        Coupon, on_delete=models.PROTECT, related_name="member_coupons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member_coupons",
    )
    # e.g. "birthday:2026", "bulk:17": the same issue never lands twice.
    issue_key = models.CharField(max_length=80)
    source = models.CharField(_("source"), max_length=30, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    order = optional_link("orders.Order")

    class Meta:
        verbose_name = _("member voucher")
        verbose_name_plural = _("member vouchers")
        ordering = ["expires_at", "id"]
        indexes = [models.Index(fields=["user", "used_at", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "coupon", "issue_key"], name="member_coupon_issue_once"
            )
        ]

    def __str__(self):
        return f"{self.coupon} → {self.user_id}"


class CouponRedemption(models.Model):
    """One order's use of a coupon; released (not deleted) if the order is cancelled."""

    coupon = models.ForeignKey(
        Coupon, on_delete=models.PROTECT, related_name="redemptions"
    )
    member_coupon = models.ForeignKey(
        MemberCoupon,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="redemptions",
    )
    user = optional_link(settings.AUTH_USER_MODEL)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="+"
    )
    amount = models.DecimalField(_("discount"), **MONEY)
    created_at = models.DateTimeField(_("used"), auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coupon", "order"], name="coupon_once_per_order"
            )
        ]

    def __str__(self):
        return f"{self.coupon_id} on {self.order_id}"
