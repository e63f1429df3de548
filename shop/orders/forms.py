from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Suggested in the ship form; any other carrier may be typed in.
DEFAULT_CARRIERS = [
    _("T-Cat"),
    _("Hsinchu Logistics"),
    _("Chunghwa Post"),
    _("7-ELEVEN"),
    _("FamilyMart"),
]


def carrier_suggestions() -> list[str]:
    return [str(name) for name in getattr(settings, "ORDER_CARRIERS", DEFAULT_CARRIERS)]


class OrderLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Order number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )
    email = forms.EmailField(
        label=_("Email address used for the order"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=60,
        widget=forms.TextInput(attrs={"list": "carrier-suggestions"}),
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the customer in the cancellation email."),
    )


class AdminShipForm(ShipForm):
    """One row of the admin's ship page: which order, by whom, which parcel."""

    order_id = forms.CharField(widget=forms.HiddenInput)
