"""Top-ups and membership purchases in the back office.

The list finds a purchase by its number or the customer's email address or
phone number, and filters by kind, status and payment method. Purchases are
made by members and changed only by services, so every field is read-only;
two actions call the services, each after a confirmation page:

- "Mark paid": for a purchase paid another way (a bank transfer), with a
  required note of how the money arrived;
- "Refund unspent top-up": withdraws what is unspent of the paid part (the
  bonus is forfeited with it) and records the refund. No provider is asked to
  pay: the list says how much to return to the customer and through what.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from loyalty.admin.actions import ServiceRowsAdminMixin
from loyalty.models import (
    CreditLot,
    CreditSource,
    Purchase,
    PurchaseKind,
    PurchaseNotification,
    PurchaseStatus,
)
from loyalty.purchases.services import purchase_mark_paid, topup_refund
from shop.checkout.payments import payment_gateways
from shop.core.admin import ReadOnlyAdminMixin
from shop.core.money import format_money


class PurchaseNotificationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PurchaseNotification
    fields = ("created_at", "gateway", "notification_id", "status", "amount")
    readonly_fields = fields
    extra = 0
    verbose_name = _("provider notice")
    verbose_name_plural = _("provider notices")


class MarkPaidForm(forms.Form):
    note = forms.CharField(
        label=_("How the money arrived"),
        max_length=300,
        help_text=_(
            "Required, e.g. “Bank transfer received 2027-01-15, account "
            "ending 1234”. Kept in the purchase's history."
        ),
        error_messages={"required": _("Say how the payment arrived.")},
    )
    transaction_id = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        required=False,
        help_text=_("The bank's or provider's reference, if there is one."),
    )


def _gateway_label(code: str) -> str:
    gateway = payment_gateways().get(code)
    return str(gateway.label) if gateway is not None else code


@admin.register(Purchase)
class PurchaseAdmin(ServiceRowsAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "customer",
        "kind",
        "description",
        "amount_display",
        "status",
        "gateway",
        "created_at",
        "paid_at",
        "to_return",
    )
    list_filter = ("kind", "status", "gateway", "created_at")
    list_select_related = ("user",)
    raw_id_fields = ("user", "topup_plan", "membership_plan")
    # The search box; `get_search_results` decides what a term matches.
    search_fields = ("number",)
    own_rows_error = _("You cannot change your own purchases.")
    inlines = (PurchaseNotificationInline,)
    actions = ("mark_paid", "refund_unspent_topup")

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) + ["to_return"]

    @admin.display(description=_("customer"))
    def customer(self, purchase):
        return purchase.user.email

    @admin.display(description=_("amount"))
    def amount_display(self, purchase):
        return format_money(purchase.amount, purchase.currency)

    @admin.display(description=_("money to return"))
    def to_return(self, purchase):
        if not purchase.refunded_amount:
            return "—"
        return gettext(
            "Refund %(amount)s to the customer through %(gateway)s (reference "
            "%(reference)s)."
        ) % {
            "amount": format_money(purchase.refunded_amount, purchase.currency),
            "gateway": _gateway_label(purchase.gateway),
            "reference": purchase.transaction_id or "—",
        }

    # --- actions ---

    @admin.action(description=_("Mark paid (paid another way)"), permissions=["change"])
    def mark_paid(self, request, queryset):
        queryset = queryset.filter(
            status__in=[PurchaseStatus.PENDING, PurchaseStatus.FAILED]
        ).select_related("user")
        if not queryset:
            self.message_user(
                request,
                gettext("None of these purchases is waiting for payment."),
                messages.WARNING,
            )
            return None
        if not self._not_own(request, queryset):
            return None
        form = MarkPaidForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = self._apply_each(
                request,
                queryset,
                lambda purchase: purchase_mark_paid(
                    purchase=purchase,
                    transaction_id=form.cleaned_data["transaction_id"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                ),
                number=lambda purchase: purchase.number,
            )
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d purchase marked paid and delivered.",
                        "%(n)d purchases marked paid and delivered.",
                        len(done),
                    )
                    % {"n": len(done)},
                    messages.SUCCESS,
                )
            return None
        rows = [
            (
                purchase.number,
                purchase.user.email,
                purchase.description,
                format_money(purchase.amount, purchase.currency),
            )
            for purchase in queryset
        ]
        return self._confirm(
            request,
            queryset,
            action="mark_paid",
            title=gettext("Mark purchases paid"),
            intro=gettext(
                "Only for money that has arrived another way, e.g. a bank transfer. "
                "Each purchase is delivered at once: a top-up's credit is added, a "
                "membership starts."
            ),
            rows=rows,
            form=form,
        )

    @admin.action(description=_("Refund unspent top-up"), permissions=["change"])
    def refund_unspent_topup(self, request, queryset):
        queryset = queryset.filter(
            kind=PurchaseKind.TOPUP, status=PurchaseStatus.PAID
        ).select_related("user")
        if not queryset:
            self.message_user(
                request,
                gettext("None of these purchases is a paid top-up."),
                messages.WARNING,
            )
            return None
        if not self._not_own(request, queryset):
            return None
        if "apply" in request.POST:
            self._apply_each(
                request,
                queryset,
                lambda purchase: self._refund_topup(request, purchase),
                number=lambda purchase: purchase.number,
            )
            return None
        left = {
            (lot.purchase_id, lot.source): lot.remaining
            for lot in CreditLot.objects.filter(purchase__in=queryset, remaining__gt=0)
        }
        rows = [
            (
                purchase.number,
                purchase.user.email,
                format_money(purchase.amount, purchase.currency),
                gettext("refund %(paid)s, bonus %(bonus)s forfeited")
                % {
                    "paid": format_money(
                        left.get((purchase.pk, CreditSource.TOPUP), 0),
                        purchase.currency,
                    ),
                    "bonus": format_money(
                        left.get((purchase.pk, CreditSource.TOPUP_BONUS), 0),
                        purchase.currency,
                    ),
                },
            )
            for purchase in queryset
        ]
        return self._confirm(
            request,
            queryset,
            action="refund_unspent_topup",
            title=gettext("Refund unspent top-ups"),
            intro=gettext(
                "Only what is unspent of the paid part is refunded; what is left "
                "of the bonus is forfeited. The credit is taken from the member "
                "now; return the money to the customer by hand through the "
                "payment provider or the bank."
            ),
            rows=rows,
        )

    def _refund_topup(self, request, purchase) -> None:
        amount = topup_refund(purchase=purchase, actor=request.user)
        self.message_user(
            request,
            gettext(
                "%(number)s refunded: refund %(amount)s to the customer "
                "through %(gateway)s."
            )
            % {
                "number": purchase.number,
                "amount": format_money(amount, purchase.currency),
                "gateway": _gateway_label(purchase.gateway),
            },
            messages.SUCCESS,
        )
