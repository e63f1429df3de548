"""Forms of the staff pages: what a person can get wrong on the page.

The rules (what may move, which units, which conditions) are the services';
their `ReturnError` shows on the same form.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from returns.models import Refund, ReturnPolicy, UnitCondition


def unit_label(line, unit) -> str:
    """`Linen shirt M · unit 2 of 3` for a unit of a returned line."""
    order_line = line.order_line
    title = f"{order_line.product_title} {order_line.variant_label}".strip()
    return _("%(title)s · unit %(n)d of %(count)d") % {
        "title": title,
        "n": unit.unit_index + 1,
        "count": order_line.quantity,
    }


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the timeline; the customer is not shown it."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the customer by email and shown on their return page."),
    )


class ReceiveForm(forms.Form):
    """Which of the units still expected are in the parcel, and which are not."""

    received = forms.TypedMultipleChoiceField(
        label=_("In the parcel"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    missing = forms.TypedMultipleChoiceField(
        label=_("Missing"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(unit.pk, unit_label(line, unit)) for line, unit in units]
        self.fields["received"].choices = choices
        self.fields["missing"].choices = choices

    def clean(self):
        data = super().clean()
        if not data.get("received") and not data.get("missing"):
            raise forms.ValidationError(
                _("Tick the units that arrived or are missing.")
            )
        return data


class InspectForm(forms.Form):
    """A condition for each received unit not yet inspected (blank: later)."""

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for line, unit in units:
            self.fields[f"unit_{unit.pk}"] = forms.ChoiceField(
                label=unit_label(line, unit),
                choices=[("", _("Not inspected yet")), *UnitCondition.choices],
                required=False,
            )

    def conditions(self) -> dict[int, str]:
        return {
            unit.pk: self.cleaned_data[f"unit_{unit.pk}"]
            for _line, unit in self.units
            if self.cleaned_data.get(f"unit_{unit.pk}")
        }


class RefundConfirmForm(forms.Form):
    # The key of the previewed refund: a double click or a retry finds the
    # refund the first click made instead of making a second.
    key = forms.CharField(max_length=120, widget=forms.HiddenInput)


class TransferPaidForm(forms.Form):
    refund = forms.ModelChoiceField(
        label=_("Refund"), queryset=Refund.objects.none(), empty_label=None
    )
    reference = forms.CharField(
        label=_("Transfer reference"),
        max_length=100,
        help_text=_("The bank's reference of the transfer you made."),
    )

    def __init__(self, *args, refunds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refund"].queryset = refunds


class ConfirmForm(forms.Form):
    """Nothing to enter: the button is the decision."""


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For staff only; the customer never sees notes."),
    )


# The policy's terms the merchant sets (the cooling-off period is the law's).
POLICY_FIELDS = (
    "merchant_window_days",
    "restocking_fee_percent",
    "return_shipping_fee",
    "shipping_refund_rule",
    "credit_bonus_percent",
    "refund_deadline_days",
    "ship_within_days",
    "reversed_points_rule",
    "serial_returner_rate",
    "serial_returner_min_returns",
    "serial_returner_suspends_credit_bonus",
)


class ReturnPolicyForm(forms.ModelForm):
    class Meta:
        model = ReturnPolicy
        fields = POLICY_FIELDS

    def clean_merchant_window_days(self):
        days = self.cleaned_data["merchant_window_days"]
        # `return_policy_update` refuses it too; said here beside the field.
        if days is not None and days < settings.COOLING_OFF_DAYS:
            raise forms.ValidationError(
                _(
                    "The return window cannot be shorter than the %(days)d-day "
                    "cooling-off period."
                )
                % {"days": settings.COOLING_OFF_DAYS}
            )
        return days
