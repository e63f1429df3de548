"""Forms of the loyalty back office: settings, adjustments, tier moves, schedules.

They check what a person can get wrong on the page (a reason left out, a day
that does not exist); the services check the rules and raise `LoyaltyError`,
which the views show on the same form.
"""

from __future__ import annotations

import calendar
import re
import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loyalty.models import LoyaltyProgramme, PointsExpiryRule, SchemeStatus, Tier

# Adjustments beyond this are typing mistakes (a phone number in the wrong box).
POINTS_ADJUST_LIMIT = 1_000_000
_KEY = re.compile(r"admin-[a-z-]+:[0-9a-f]{32}")


def new_idempotency_key(purpose: str) -> str:
    """A key for one rendering of a form: posting it twice changes nothing twice."""
    return f"admin-{purpose}:{uuid.uuid4().hex}"


class ProgrammeAdminForm(forms.ModelForm):
    class Meta:
        model = LoyaltyProgramme
        fields = (
            "earn_points",
            "earn_per_amount",
            "earn_on_shipping",
            "earn_on_points_paid",
            "earn_on_credit_paid",
            "point_value",
            "redeem_min_order",
            "redeem_max_percent",
            "redeem_min_points",
            "expiry_rule",
            "expiry_months",
            "expiry_month",
            "expiry_day",
            "expiry_reminder_days",
            "downgrade_rule",
            "tier_expiry_warning_days",
        )
        help_texts = {
            "earn_points": _(
                "Points a member earns for every “for every” amount of the earn "
                "base, before the tier's multiplier. Rounded down."
            ),
            "earn_on_shipping": _("On: the shipping fee counts towards points."),
            "earn_on_points_paid": _(
                "On: the part of an order paid with points earns points too."
            ),
            "earn_on_credit_paid": _(
                "On: the part of an order paid with shopping credit earns points."
            ),
            "point_value": _("e.g. 1: one point takes NT$1 off an order."),
            "redeem_min_order": _(
                "Points can be used only on orders of at least this amount "
                "(items after discounts). 0: any order."
            ),
            "redeem_min_points": _("A member uses at least this many points at once."),
            "expiry_rule": _(
                "Each earning expires on its own date; members are reminded before."
            ),
            "expiry_month": _("With “a fixed date every year”: the month, 1–12."),
            "expiry_day": _("With “a fixed date every year”: the day of the month."),
            "expiry_reminder_days": _(
                "The reminder email goes out this many days before points expire."
            ),
            "downgrade_rule": _(
                "A member who did not spend enough to keep a tier drops when its "
                "validity ends."
            ),
            "tier_expiry_warning_days": _(
                "The warning email goes out this many days before a tier ends, "
                "to members who would lose it."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("expiry_rule") == PointsExpiryRule.FIXED_DATE:
            month, day = cleaned.get("expiry_month"), cleaned.get("expiry_day")
            # A date every year has: February 29 would skip three years in four.
            if month and day and day > calendar.monthrange(2001, month)[1]:
                self.add_error(
                    "expiry_day",
                    _(
                        "This month has no such day every year; choose %(last)d or "
                        "earlier."
                    )
                    % {"last": calendar.monthrange(2001, month)[1]},
                )
        return cleaned


class PointsAdjustForm(forms.Form):
    points = forms.IntegerField(
        label=_("Points"),
        min_value=-POINTS_ADJUST_LIMIT,
        max_value=POINTS_ADJUST_LIMIT,
        help_text=_(
            "A positive number adds points, a negative one takes them away, "
            "e.g. 200 or -150. Added points are available at once and expire "
            "like earned ones."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_(
            "Required. The member sees it in their points history, e.g. "
            "“Apology for a late delivery, ticket 1234”."
        ),
        error_messages={
            "required": _("Give a reason: every adjustment is kept with its reason.")
        },
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=120)

    def clean_points(self) -> int:
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("Enter a number of points other than 0."))
        return points

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not _KEY.fullmatch(key):
            raise forms.ValidationError(_("Reload the page and try again."))
        return key


class TierSetForm(forms.Form):
    tier = forms.ModelChoiceField(
        label=_("New tier"),
        queryset=Tier.objects.none(),
        empty_label=None,
        help_text=_(
            "The member moves at once and the tier's validity starts today; "
            "choosing the current tier renews it. The member's spend is not "
            "changed, and a member moved up gets the upgrade email."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Required. The member sees it in their tier history."),
        error_messages={
            "required": _("Give a reason: every tier change is kept with its reason.")
        },
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["tier"]
        field.queryset = Tier.objects.filter(
            scheme__status=SchemeStatus.ACTIVE
        ).order_by("rank")
        field.label_from_instance = lambda tier: tier.display_name
        if current is not None and not self.is_bound:
            field.initial = current.pk


class SchemeScheduleForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "On this day (in the shop's time zone) the daily run places members "
            "in the new tiers and the new rules apply; the scheme in force until "
            "then is retired."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["effective_from"].initial = timezone.localdate() + timedelta(
                days=1
            )
