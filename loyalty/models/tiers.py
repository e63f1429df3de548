"""Tier schemes: versioned sets of tiers with their rules and benefits.

A merchant edits a draft scheme, previews what applying it would do, and
schedules it from a date; the scheme in force is the one active scheme. Tiers
are matched across versions by `code`, so per-tier prices and a member's tier
survive a new version of the rules.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from loyalty.models.links import optional_link

MONEY = {"max_digits": 12, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("90"))]


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    ACTIVE = "active", pgettext_lazy("tier scheme", "Active")
    RETIRED = "retired", _("Retired")


class QualifyWindow(models.TextChoices):
    ROLLING = "rolling", _("Rolling months")
    CALENDAR_YEAR = "calendar_year", _("Calendar year")


class TierValidity(models.TextChoices):
    MONTHS = "months", _("Months from upgrade")
    YEAR_END = "year_end", _("Until the end of the year")
    FOREVER = "forever", _("Never expires")


class TierScheme(models.Model):
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SchemeStatus.choices,
        default=SchemeStatus.DRAFT,
        db_index=True,
    )
    effective_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("The day (in the shop's time zone) the scheme takes effect."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    created_by = optional_link(settings.AUTH_USER_MODEL, verbose_name=_("created by"))

    class Meta:
        verbose_name = _("tier scheme")
        verbose_name_plural = _("tier schemes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="active"),
                name="one_active_tier_scheme",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == SchemeStatus.DRAFT


class Tier(models.Model):
    scheme = models.ForeignKey(
        TierScheme, on_delete=models.CASCADE, related_name="tiers"
    )
    code = models.SlugField(
        _("code"),
        max_length=30,
        help_text=_("Stays the same across scheme versions, e.g. “gold”."),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("0 is the tier every member starts in.")
    )
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name in English"), max_length=50, blank=True)
    name_zh_hans = models.CharField(
        _("name in Simplified Chinese"), max_length=50, blank=True
    )
    # Qualification (升等): any filled condition is enough, unless all are required.
    qualify_spend = models.DecimalField(
        _("spend to qualify"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    qualify_orders = models.PositiveIntegerField(
        _("orders to qualify"), null=True, blank=True
    )
    qualify_requires_both = models.BooleanField(
        _("needs both spend and orders"),
        default=False,
        help_text=_("Off: either the spend or the number of orders is enough."),
    )
    qualify_window = models.CharField(
        _("counted over"),
        max_length=20,
        choices=QualifyWindow.choices,
        default=QualifyWindow.ROLLING,
    )
    qualify_window_months = models.PositiveSmallIntegerField(
        _("rolling months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    qualify_single_order = models.DecimalField(
        _("or one order of at least"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        **MONEY,
    )
    # Retention (續會條件): spend during the tier's validity that keeps it.
    retain_spend = models.DecimalField(
        _("spend to keep the tier"),
        null=True,
        blank=True,
        help_text=_(
            "Spent while the tier is valid. Empty: the tier is renewed only "
            "by qualifying again."
        ),
        validators=NOT_NEGATIVE,
        **MONEY,
    )
    validity = models.CharField(
        _("valid"),
        max_length=20,
        choices=TierValidity.choices,
        default=TierValidity.MONTHS,
    )
    validity_months = models.PositiveSmallIntegerField(
        _("months valid"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Benefits.
    discount_percent = models.DecimalField(
        _("member discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )
    points_multiplier = models.DecimalField(
        _("points multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
    )
    free_shipping_threshold = models.DecimalField(
        _("free shipping from"),
        null=True,
        blank=True,
        help_text=_("Empty: the shipping method's own threshold."),
        validators=NOT_NEGATIVE,
        **MONEY,
    )
    # Used by member privileges (birthday gifts, member day, hidden listings).
    birthday_gift_amount = models.DecimalField(
        _("birthday gift (shopping credit)"),
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        **MONEY,
    )
    birthday_coupon = models.ForeignKey(
        "loyalty.Coupon",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("birthday gift (coupon)"),
        help_text=_("Given instead of shopping credit when set."),
    )
    member_day_points_multiplier = models.DecimalField(
        _("member-day points multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("20"))],
    )
    member_day_extra_percent = models.DecimalField(
        _("member-day extra discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )
    hidden_listing_access = models.BooleanField(
        _("sees member-only listings"), default=False
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["scheme", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "rank"], name="tier_rank_unique_in_scheme"
            ),
            models.UniqueConstraint(
                fields=["scheme", "code"], name="tier_code_unique_in_scheme"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "").lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        if language in ("zh-hans", "zh-cn", "zh-sg") and self.name_zh_hans:
            return self.name_zh_hans
        return self.name

    @property
    def has_qualification(self) -> bool:
        return any(
            value is not None
            for value in (
                self.qualify_spend,
                self.qualify_orders,
                self.qualify_single_order,
            )
        )


class TierPrice(models.Model):
    """An explicit price of one variant for one tier (by tier code)."""

    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="tier_prices"
    )
    tier_code = models.SlugField(_("tier code"), max_length=30)
    price = models.DecimalField(
        _("member price"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )

    class Meta:
        verbose_name = _("member price")
        verbose_name_plural = _("member prices")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "tier_code"], name="one_price_per_variant_tier"
            )
        ]

    def __str__(self):
        return f"{self.variant_id} {self.tier_code} {self.price}"
