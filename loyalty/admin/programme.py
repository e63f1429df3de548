"""The programme settings: one row, edited in place.

There is exactly one settings row (pk 1); the list page goes straight to it
and nothing can be added or deleted. Saving clears the cached copy every
request reads (`programme_cache_clear`), now and again once the transaction
commits, so no request caches the old values in between.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from loyalty.admin.forms import ProgrammeAdminForm
from loyalty.models import LoyaltyProgramme
from loyalty.privileges.memberday import member_day_dates_clean
from shop.core.admin import SingletonAdminMixin

SETTINGS_PK = 1


class ProgrammeSettingsForm(ProgrammeAdminForm):
    def clean_member_day_dates(self) -> str:
        return member_day_dates_clean(self.cleaned_data.get("member_day_dates", ""))

    def clean_birthday_gift_valid_days(self):
        days = self.cleaned_data.get("birthday_gift_valid_days")
        # A gift valid for 0 days has expired when it falls due: the task
        # would skip every member, silently.
        if days is not None:
            MinValueValidator(1)(days)
        return days


@admin.register(LoyaltyProgramme)
class LoyaltyProgrammeAdmin(SingletonAdminMixin, admin.ModelAdmin):
    form = ProgrammeSettingsForm
    readonly_fields = ("updated_at",)
    fieldsets = (
        (
            _("Earning"),
            {
                "fields": (
                    ("earn_points", "earn_per_amount"),
                    "earn_on_shipping",
                    "earn_on_points_paid",
                    "earn_on_credit_paid",
                ),
                "description": _(
                    "Members earn points on what they pay for their items, times "
                    "their tier's points multiplier. Points stay pending until the "
                    "order's cooling-off period is over."
                ),
            },
        ),
        (
            _("Spending"),
            {
                "fields": (
                    "point_value",
                    "redeem_min_order",
                    "redeem_max_percent",
                    "redeem_min_points",
                ),
                "description": _(
                    "Members choose at checkout how many points to use. These "
                    "limits apply to orders placed from now on."
                ),
            },
        ),
        (
            _("Expiry"),
            {
                "fields": (
                    "expiry_rule",
                    "expiry_months",
                    ("expiry_month", "expiry_day"),
                    "expiry_reminder_days",
                ),
                "description": _(
                    "Applies to points earned from now on; points already earned "
                    "keep the expiry date they were given."
                ),
            },
        ),
        (
            _("Tiers"),
            {
                "fields": ("downgrade_rule", "tier_expiry_warning_days"),
                "description": _(
                    "The tiers themselves, their conditions and benefits are in "
                    "“Tier schemes”."
                ),
            },
        ),
        (
            _("Member day"),
            {
                "fields": (
                    "member_day_dates",
                    "member_day_weekday",
                    "member_day_reminders",
                ),
                "description": _(
                    "Fixed days of the month, a day of the week, or both, in the "
                    "shop's time zone; a day past the month's end (31) falls on "
                    "its last day. Each tier's extra discount and points "
                    "multiplier on member days are in “Tier schemes”. The "
                    "reminder goes out at 10:00 the day before, to members who "
                    "agreed to marketing emails."
                ),
            },
        ),
        (
            _("Birthday gifts"),
            {
                "fields": (
                    "birthday_gift_day",
                    "birthday_gift_valid_days",
                    "birthday_change_lock_days",
                    "birthday_new_account_days",
                ),
                "description": _(
                    "Each tier's gift (shopping credit or a coupon) is in “Tier "
                    "schemes”. Gifts go out from 00:00 of the gift day in the "
                    "shop's time zone, once per member per year. A 29 February "
                    "birthday is celebrated on 28 February in other years. A "
                    "birthday set or changed, or an account opened, less than "
                    "the given days before the gift day gets no gift that year."
                ),
            },
        ),
        (
            _("Shopping credit"),
            {
                "fields": ("credit_max_percent", "credit_with_points"),
                "description": _(
                    "Credit pays at checkout after the points; shoppers see these "
                    "rules beside the credit offer."
                ),
            },
        ),
        (
            _("Paid membership"),
            {
                "fields": (
                    "paid_membership_refund_days",
                    "paid_membership_reminder_days",
                ),
                "description": _(
                    "The plans themselves are in “Membership plans”. A period "
                    "bought within the refund days whose benefits no order used "
                    "can be refunded in full, once per member."
                ),
            },
        ),
        (None, {"fields": ("updated_at",)}),
    )

    saved_message = _("The programme settings were saved. They apply from now on.")

    def singleton_object(self) -> LoyaltyProgramme:
        found, _created = LoyaltyProgramme.objects.get_or_create(pk=SETTINGS_PK)
        return found
