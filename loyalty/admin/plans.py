"""Paid membership (訂閱制) in the back office: plans, and members' periods.

Plans are edited here; saving one clears the cached plans every request
reads (`membership_plans_cache_clear`), now and once committed. The minimum
tier is chosen from the tiers in force; a plan's code is fixed once saved,
as orders and purchases name it.

Periods are written by the services only (a paid purchase starts one), so
their page is read-only; two actions call the services after a
confirmation page with a required reason, kept in the admin history:

- "Cancel at period end": benefits hold until the period ends;
- "Refund (one-time rule)": within the refund window, unused, once per
  member; the benefits end now and the purchase is marked refunded. The
  money goes back by hand through the provider, as the purchase list says.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from loyalty.admin.actions import ServiceRowsAdminMixin
from loyalty.admin.member_page import when
from loyalty.models import MembershipPlan, PaidMembership, PaidMembershipStatus
from loyalty.plans import services
from loyalty.plans.periods import period_last_day
from loyalty.plans.selectors import membership_plans_cache_clear
from loyalty.selectors.programme import tiers_active
from shop.core.money import format_money, money_round


class MembershipPlanForm(forms.ModelForm):
    min_tier_code = forms.ChoiceField(
        label=_("at least this tier while active"),
        required=False,
        help_text=_(
            "While the plan runs the member shops in at least this tier (its "
            "prices and benefits). Empty: the member's own tier."
        ),
    )

    class Meta:
        model = MembershipPlan
        fields = (
            "name",
            "code",
            "description",
            "period",
            "price",
            "free_shipping",
            "extra_discount_percent",
            "min_tier_code",
            "is_active",
            "position",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_tier_code"].choices = [("", "—")] + [
            (tier.code, tier.display_name) for tier in tiers_active()
        ]

    def clean_price(self):
        # Charged as it is: never finer than the currency (NT$ is whole dollars).
        price = self.cleaned_data.get("price")
        if price is not None and money_round(price, settings.SHOP_CURRENCY) != price:
            raise forms.ValidationError(_("Enter a whole amount."), code="invalid")
        return price


def _plans_changed() -> None:
    # Now for this process, and again once committed so that no request
    # re-caches the old rows in between.
    membership_plans_cache_clear()
    transaction.on_commit(membership_plans_cache_clear)


@admin.register(MembershipPlan)
class MembershipPlanAdmin(admin.ModelAdmin):
    form = MembershipPlanForm
    list_display = (
        "name",
        "code",
        "period",
        "price_display",
        "free_shipping",
        "extra_discount_percent",
        "min_tier_code",
        "is_active",
        "position",
    )
    list_filter = ("is_active", "period")
    search_fields = ("name", "code")
    ordering = ("position", "price", "id")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    @admin.display(description=_("price"))
    def price_display(self, plan):
        return format_money(plan.price)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _plans_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _plans_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _plans_changed()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Required; kept in the admin history."),
        error_messages={"required": _("Give a reason.")},
    )


@admin.register(PaidMembership)
class PaidMembershipAdmin(ServiceRowsAdminMixin, admin.ModelAdmin):
    list_display = (
        "customer",
        "plan",
        "status",
        "starts_display",
        "last_day_display",
        "benefit_used_display",
        "purchase",
    )
    list_filter = ("status", "plan")
    list_select_related = ("user", "plan", "purchase")
    raw_id_fields = ("user", "purchase")
    # The search box; `get_search_results` decides what a term matches.
    search_fields = ("purchase__number",)
    number_lookup = "purchase__number"
    own_rows_error = _("You cannot change your own paid membership.")
    actions = ("cancel_at_period_end", "refund_one_time")

    @admin.display(description=_("customer"))
    def customer(self, period):
        return period.user.email

    @admin.display(description=pgettext_lazy("period", "from"))
    def starts_display(self, period):
        return when(period.starts_at)

    @admin.display(description=_("benefits through"))
    def last_day_display(self, period):
        return period_last_day(period.ends_at).isoformat()

    @admin.display(description=_("benefit first used"))
    def benefit_used_display(self, period):
        return when(period.benefit_used_at)

    # --- actions ---

    def _run(self, request, queryset, *, action, title, intro, apply):
        """A confirmation page with a reason, then `apply(period, reason)` each."""
        if not self._not_own(request, queryset):
            return None
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]

            def apply_and_log(period):
                apply(period, reason)
                self.log_change(request, period, f"{title}: {reason}")

            done = self._apply_each(
                request,
                queryset,
                apply_and_log,
                number=lambda period: period.purchase.number,
            )
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d paid membership changed.",
                        "%(n)d paid memberships changed.",
                        len(done),
                    )
                    % {"n": len(done)},
                    messages.SUCCESS,
                )
            return None
        rows = [
            (
                period.purchase.number,
                period.user.email,
                period.plan.name,
                period.get_status_display(),
                period_last_day(period.ends_at).isoformat(),
                format_money(period.purchase.amount, period.purchase.currency),
            )
            for period in queryset
        ]
        return self._confirm(
            request,
            queryset,
            action=action,
            title=title,
            intro=intro,
            rows=rows,
            form=form,
        )

    @admin.action(description=_("Cancel at period end"), permissions=["change"])
    def cancel_at_period_end(self, request, queryset):
        queryset = queryset.filter(status=PaidMembershipStatus.ACTIVE).select_related(
            "user", "plan", "purchase"
        )
        if not queryset:
            self.message_user(
                request,
                gettext("None of these paid memberships is active."),
                messages.WARNING,
            )
            return None
        return self._run(
            request,
            queryset,
            action="cancel_at_period_end",
            title=gettext("Cancel at period end"),
            intro=gettext(
                "The benefits hold until each period ends; the member is told by email."
            ),
            apply=lambda period, reason: services.paid_membership_cancel(
                paid_membership=period, actor=request.user
            ),
        )

    @admin.action(description=_("Refund (one-time rule)"), permissions=["change"])
    def refund_one_time(self, request, queryset):
        queryset = queryset.filter(
            status__in=[PaidMembershipStatus.ACTIVE, PaidMembershipStatus.CANCELLED]
        ).select_related("user", "plan", "purchase")
        if not queryset:
            self.message_user(
                request,
                gettext("None of these paid memberships is running."),
                messages.WARNING,
            )
            return None
        return self._run(
            request,
            queryset,
            action="refund_one_time",
            title=gettext("Refund paid memberships"),
            intro=gettext(
                "Only a period bought within the refund window, whose benefits no "
                "order used, of a member never refunded before. Its benefits end "
                "now; return the money to the customer by hand through the payment "
                "provider, as the purchase list shows."
            ),
            apply=lambda period, reason: services.paid_membership_refund(
                paid_membership=period, actor=request.user, note=reason
            ),
        )
