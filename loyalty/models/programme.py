"""The programme's settings: one row, edited by the merchant in the back office."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PointsExpiryRule(models.TextChoices):
    END_OF_MONTH = "end_of_month", _("End of the month, N months after earning")
    FIXED_DATE = "fixed_date", _("A fixed date every year")
    NEVER = "never", _("Points never expire")


class DowngradeRule(models.TextChoices):
    ONE_LEVEL = "one_level", _("Down one level")
    QUALIFIED = "qualified", _("Down to the level the member qualifies for")


class BirthdayGiftDay(models.TextChoices):
    MONTH_START = "month_start", _("The first day of the birthday month")
    BIRTHDAY = "birthday", _("The birthday itself")


class LoyaltyProgramme(models.Model):
    """How points are earned, spent and expire, and how tiers drop.

    A single row (pk 1), read through `loyalty.selectors.programme()`, which
    caches it; saving clears the cache.
    """

    # Earning: `earn_points` points for every `earn_per_amount` of the earn base.
    earn_points = models.PositiveIntegerField(
        _("points earned"), default=1, validators=[MinValueValidator(0)]
    )
    earn_per_amount = models.DecimalField(
        _("for every"),
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("e.g. 1 point for every NT$100 paid."),
        **MONEY,
    )
    earn_on_shipping = models.BooleanField(_("shipping earns points"), default=False)
    earn_on_points_paid = models.BooleanField(
        _("the part paid with points earns points"), default=False
    )
    earn_on_credit_paid = models.BooleanField(
        _("the part paid with shopping credit earns points"), default=True
    )
    # Spending.
    point_value = models.DecimalField(
        _("value of one point"),
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        **MONEY,
    )
    redeem_min_order = models.DecimalField(
        _("minimum order to use points"), default=Decimal("0"), **MONEY
    )
    redeem_max_percent = models.PositiveSmallIntegerField(
        _("points may pay at most (%)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the items' total (after discounts) points may pay."),
    )
    redeem_min_points = models.PositiveIntegerField(
        _("fewest points per use"), default=1
    )
    # Expiry.
    expiry_rule = models.CharField(
        _("points expire"),
        max_length=20,
        choices=PointsExpiryRule.choices,
        default=PointsExpiryRule.END_OF_MONTH,
    )
    expiry_months = models.PositiveSmallIntegerField(
        _("months until expiry"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "With “end of the month”: points earned in January 2027 with 12 "
            "months expire at the end of January 2028."
        ),
    )
    expiry_month = models.PositiveSmallIntegerField(
        _("yearly expiry month"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    expiry_day = models.PositiveSmallIntegerField(
        _("yearly expiry day"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    expiry_reminder_days = models.PositiveSmallIntegerField(
        _("remind members this many days before points expire"), default=30
    )
    # Tiers.
    downgrade_rule = models.CharField(
        _("when a tier expires unrenewed"),
        max_length=20,
        choices=DowngradeRule.choices,
        default=DowngradeRule.ONE_LEVEL,
    )
    tier_expiry_warning_days = models.PositiveSmallIntegerField(
        _("warn members this many days before losing a tier"), default=30
    )
    # Member day (會員日): days of the month and/or a weekday, in the shop's zone.
    member_day_dates = models.CharField(
        _("member days of the month"),
        max_length=100,
        blank=True,
        help_text=_("Comma-separated days, e.g. “8,18”; empty for none."),
    )
    member_day_weekday = models.PositiveSmallIntegerField(
        _("member day of the week"),
        null=True,
        blank=True,
        choices=WEEKDAYS,
        help_text=_("Empty for none."),
    )
    member_day_reminders = models.BooleanField(
        _("email opted-in members the day before a member day"), default=True
    )
    # Birthday gifts (生日禮金): the amount or coupon is set per tier.
    birthday_gift_day = models.CharField(
        _("birthday gifts are issued on"),
        max_length=20,
        choices=BirthdayGiftDay.choices,
        default=BirthdayGiftDay.MONTH_START,
    )
    birthday_gift_valid_days = models.PositiveSmallIntegerField(
        _("birthday gift valid for (days)"), default=30
    )
    birthday_change_lock_days = models.PositiveSmallIntegerField(
        _("no gift for a birthday changed within (days)"), default=180
    )
    birthday_new_account_days = models.PositiveSmallIntegerField(
        _("no gift for an account opened within (days) of the gift day"), default=30
    )
    # Shopping credit at checkout.
    credit_max_percent = models.PositiveSmallIntegerField(
        _("credit may pay at most this percentage of the order"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    credit_with_points = models.BooleanField(
        _("credit and points can pay the same order"), default=True
    )
    # Paid membership.
    paid_membership_refund_days = models.PositiveSmallIntegerField(
        _("full refund of an unused paid membership within (days)"), default=7
    )
    paid_membership_reminder_days = models.PositiveSmallIntegerField(
        _("remind paid members this many days before their period ends"), default=7
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")
        permissions = [("adjust_points", _("Can adjust members' points"))]

    def __str__(self):
        return str(_("Programme settings"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from loyalty.selectors.programme import programme_cache_clear

        # Now for this process, and again once committed so that no request
        # re-caches the old row in between.
        programme_cache_clear()
        transaction.on_commit(programme_cache_clear)
