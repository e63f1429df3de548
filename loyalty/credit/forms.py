"""Forms of shopping credit: the history filter, buying a top-up, staff adjustments.

They check what a person can get wrong on the page; the services check the
rules and raise CreditError or PurchaseError, which the doors show.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loyalty.credit.services import credit_valid_until
from loyalty.models import CreditEntry, CreditEntryKind, TopUpPlan

# Adjustments beyond this are typing mistakes (a phone number in the wrong box).
ADJUST_LIMIT = 1_000_000
_ADMIN_KEY = re.compile(r"admin-credit:[0-9a-f]{32}")


class CreditHistoryFilter(django_filters.FilterSet):
    """Filter of a member's credit ledger by kind (page and API)."""

    kind = django_filters.ChoiceFilter(
        choices=CreditEntryKind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
    )

    class Meta:
        model = CreditEntry
        fields = ["kind"]

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and bool(self.data.get("kind"))


class TopUpBuyForm(forms.Form):
    """A top-up plan on sale and a payment method that takes purchases."""

    plan = forms.ModelChoiceField(
        label=_("Top-up"),
        queryset=TopUpPlan.objects.none(),
        error_messages={
            "invalid_choice": _("This plan is not on sale. Choose another one.")
        },
    )
    gateway = forms.ChoiceField(label=_("Pay with"))

    def __init__(self, *args, plans, gateways: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["gateway"].choices = [
            (code, gateway.label) for code, gateway in gateways.items()
        ]
        if len(gateways) == 1:
            self.fields["gateway"].initial = next(iter(gateways))


class CreditAdjustForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        min_value=-ADJUST_LIMIT,
        max_value=ADJUST_LIMIT,
        help_text=_(
            "A positive amount adds credit, a negative one takes it away, e.g. "
            "500 or -200. Credit taken away comes from what expires soonest; a "
            "member cannot go below 0."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_(
            "Required. The member sees it in their credit history, e.g. "
            "“Apology for a late delivery, ticket 1234”."
        ),
        error_messages={
            "required": _("Give a reason: every adjustment is kept with its reason.")
        },
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Added credit only. Empty: it never expires."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=120)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("Enter an amount other than 0."))
        return amount

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not _ADMIN_KEY.fullmatch(key):
            raise forms.ValidationError(_("Reload the page and try again."))
        return key

    def clean(self):
        cleaned = super().clean()
        amount, days = cleaned.get("amount"), cleaned.get("valid_days")
        if amount is not None and amount < 0 and days:
            self.add_error("valid_days", _("Only added credit has an expiry."))
        return cleaned

    def expires_at(self):
        """The expiry of added credit: the end of the last valid day."""
        days = self.cleaned_data.get("valid_days")
        if not days:
            return None
        return credit_valid_until(now=timezone.now(), days=days)
