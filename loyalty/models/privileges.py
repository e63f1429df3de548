"""Birthday gifts (生日禮金) and member-day (會員日) reminders: once per member each.

The schedules and rules are programme settings; the tier says how much. These
rows are the proof that a gift or a reminder went out, with unique constraints
so a task run twice (or on two workers) never gives twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loyalty.models.links import optional_link

MONEY = {"max_digits": 12, "decimal_places": 2}


class BirthdayGift(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="birthday_gifts",
        verbose_name=_("customer"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tier_code = models.SlugField(_("tier"), max_length=30)
    # Shopping credit given (0 for a coupon gift), and the voucher if a coupon.
    amount = models.DecimalField(_("credit"), default=0, **MONEY)
    member_coupon = optional_link("loyalty.MemberCoupon")
    credit_entry = optional_link("loyalty.CreditEntry")
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("birthday gift")
        verbose_name_plural = _("birthday gifts")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "year"], name="one_birthday_gift_per_year"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.year}"


class MemberDayReminder(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    member_day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "member_day"], name="one_member_day_reminder"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.member_day}"
