"""Shopping credit in the back office: top-up plans, the ledger and lots
(read-only), and "Grant or deduct credit" for a member.

The ledger and lots are written only by the services (orders, top-ups, the
expiry task, staff adjustments through the form here). The form needs the
permission `loyalty.adjust_points`, the one points adjustments use (the
models carry no separate credit permission); nobody adjusts their own
credit. Each rendering of the form has its own idempotency key, so a double
submit books once, and every adjustment is written to the member's admin
history like a points adjustment.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loyalty.admin.forms import new_idempotency_key
from loyalty.admin.ledgers import LedgerAdmin
from loyalty.credit import services as credit
from loyalty.credit.forms import CreditAdjustForm
from loyalty.models import CreditEntry, CreditLot, Membership, TopUpPlan
from shop.core.errors import ShopError
from shop.core.money import format_money

ADJUST_PERMISSION = "loyalty.adjust_points"


class TopUpPlanForm(forms.ModelForm):
    class Meta:
        model = TopUpPlan
        fields = ("name", "price", "bonus", "bonus_valid_days", "is_active", "position")

    def _amount(self, name: str):
        # The paid part and the bonus become credit lots when a purchase is
        # paid: an amount finer than the currency (NT$1,000.50) would be
        # charged, then refused by the wallet.
        value = self.cleaned_data.get(name)
        if value is None:
            return value
        try:
            return credit.credit_amount_clean(value, field=name)
        except ShopError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean_price(self):
        return self._amount("price")

    def clean_bonus(self):
        return self._amount("bonus")


@admin.register(TopUpPlan)
class TopUpPlanAdmin(admin.ModelAdmin):
    form = TopUpPlanForm
    list_display = (
        "name",
        "price_display",
        "bonus_display",
        "bonus_valid_days",
        "is_active",
        "position",
    )
    list_editable = ("is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("name",)
    ordering = ("position", "price", "id")
    fields = ("name", "price", "bonus", "bonus_valid_days", "is_active", "position")

    @admin.display(description=_("price"), ordering="price")
    def price_display(self, plan):
        return format_money(plan.price)

    @admin.display(description=_("bonus credit"), ordering="bonus")
    def bonus_display(self, plan):
        return format_money(plan.bonus) if plan.bonus else "—"

    def has_delete_permission(self, request, obj=None):
        # Purchases keep a link to the plan they bought: take it off sale instead.
        return False


def _money(amount, currency) -> str:
    return format_money(amount, currency)


@admin.register(CreditEntry)
class CreditEntryAdmin(LedgerAdmin):
    list_display = (
        "created_at",
        "member",
        "kind",
        "amount_display",
        "order_number",
        "purchase_number",
        "reason",
        "actor",
    )
    list_display_links = ("created_at",)
    list_filter = ("kind", "created_at")
    list_select_related = ("membership__user", "order", "purchase", "actor")
    raw_id_fields = ("membership", "lot", "order", "purchase", "actor")
    ordering = ("-created_at", "-id")
    sortable_by = ("created_at",)

    @admin.display(description=_("amount"))
    def amount_display(self, entry):
        sign = "+" if entry.amount > 0 else ""
        return sign + _money(entry.amount, entry.currency)

    @admin.display(description=_("purchase"))
    def purchase_number(self, entry):
        if entry.purchase_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:loyalty_purchase_change", args=[entry.purchase_id]),
            entry.purchase.number,
        )

    def get_urls(self):
        return [
            path(
                "adjust/<int:membership_id>/",
                self.admin_site.admin_view(self.adjust_view),
                name="loyalty_creditentry_adjust",
            ),
            *super().get_urls(),
        ]

    def adjust_view(self, request, membership_id):
        """Grant (positive) or deduct (negative) a member's credit, with a reason."""
        membership = (
            Membership.objects.select_related("user", "tier")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None:
            raise Http404(gettext("This member does not exist."))
        if (
            not request.user.has_perm(ADJUST_PERMISSION)
            or membership.user_id == request.user.pk
        ):
            raise PermissionDenied
        if request.method == "POST":
            form = CreditAdjustForm(request.POST)
            if form.is_valid():
                amount = form.cleaned_data["amount"]
                reason = form.cleaned_data["reason"]
                try:
                    credit.credit_adjust(
                        user=membership.user,
                        amount=amount,
                        reason=reason,
                        actor=request.user,
                        idempotency_key=form.cleaned_data["idempotency_key"],
                        expires_at=form.expires_at(),
                    )
                except ShopError as error:
                    field = error.field if error.field in form.fields else None
                    form.add_error(field, error.message)
                else:
                    membership.refresh_from_db()
                    self._adjusted(request, membership, amount, reason)
                    return HttpResponseRedirect(
                        reverse("admin:loyalty_membership_change", args=[membership.pk])
                    )
        else:
            form = CreditAdjustForm(
                initial={"idempotency_key": new_idempotency_key("credit")}
            )
        return TemplateResponse(
            request,
            "loyalty/credit/admin_adjust.html",
            {
                **self.admin_site.each_context(request),
                "opts": Membership._meta,
                "original": membership,
                "membership": membership,
                "title": gettext("Grant or deduct shopping credit"),
                "subtitle": str(membership),
                "form": form,
                "ledger_url": reverse("admin:loyalty_creditentry_changelist")
                + f"?membership__id__exact={membership.pk}",
            },
        )

    def _adjusted(self, request, membership, amount, reason) -> None:
        values = {
            "amount": format_money(abs(amount)),
            "member": membership.user.email,
            "balance": format_money(membership.credit_balance),
        }
        if amount > 0:
            text = gettext(
                "Granted %(amount)s of credit to %(member)s. Credit now: %(balance)s."
            )
        else:
            text = gettext(
                "Took %(amount)s of credit from %(member)s. Credit now: %(balance)s."
            )
        self.message_user(request, text % values, messages.SUCCESS)
        # In the member's admin history, next to their points adjustments.
        self.log_change(
            request,
            membership,
            gettext("Adjusted shopping credit by %(amount)s: %(reason)s")
            % {
                "amount": ("+" if amount > 0 else "") + format_money(amount),
                "reason": reason,
            },
        )


@admin.register(CreditLot)
class CreditLotAdmin(LedgerAdmin):
    list_display = (
        "created_at",
        "member",
        "source",
        "amount",
        "remaining",
        "expires_at",
        "order_number",
    )
    list_display_links = ("created_at",)
    list_filter = ("source", "expires_at")
    list_select_related = ("membership__user", "order")
    raw_id_fields = ("membership", "order", "purchase")
    # Newest first by primary key: lots are indexed by member and expiry only.
    ordering = ("-id",)
    sortable_by = ()
