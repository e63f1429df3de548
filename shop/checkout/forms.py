"""Checkout forms. They collect and show errors; the rules are in `services.py`.

Each form runs the same validation as `order_place` (`contact_validate`,
`shipping_validate`) so a shopper sees a problem beside its field at the step
where it was typed, not only when the order is placed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.accounts.regions import TAIWAN_CITIES
from shop.accounts.validators import display_phone
from shop.checkout.details import (
    Contact,
    contact_validate,
    shipping_address_values,
    shipping_validate,
)
from shop.checkout.errors import CheckoutError
from shop.checkout.payments import payment_gateways
from shop.checkout.selectors import shipping_methods_active
from shop.core.money import format_money

PHONE_HELP = _("A Taiwan mobile such as 0912-345-678, or an international number.")


def add_checkout_error(form: forms.Form, error: CheckoutError, aliases=None) -> None:
    """Show a service error beside its field (renamed by `aliases`) or above all."""
    field = (aliases or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def shipping_method_label(method) -> str:
    if method.fee <= 0:
        price = _("Free")
    elif method.free_shipping_threshold is not None:
        price = _("%(fee)s, free from %(threshold)s") % {
            "fee": format_money(method.fee),
            "threshold": format_money(method.free_shipping_threshold),
        }
    else:
        price = format_money(method.fee)
    return f"{method.name} ({price})"


class ShippingMethodField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return shipping_method_label(obj)


class DetailsForm(forms.Form):
    """Step 1: who is buying, how it ships and how it is paid."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send the order confirmation here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    shipping_method = ShippingMethodField(
        label=_("Shipping method"),
        queryset=None,
        to_field_name="code",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    payment_method = forms.ChoiceField(
        label=_("Payment method"), widget=forms.RadioSelect
    )
    customer_note = forms.CharField(
        label=_("Note for the shop (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["shipping_method"].queryset = shipping_methods_active()
        self.gateways = payment_gateways()
        self.fields["payment_method"].choices = [
            (code, gateway.label) for code, gateway in self.gateways.items()
        ]
        if self.user is not None:
            # A member's orders go to their account's address; they change it there.
            del self.fields["email"]

    def shipping_options(self) -> list[dict]:
        """Each shipping radio with its method, for a label plus description."""
        methods = {m.code: m for m in self.fields["shipping_method"].queryset}
        return [
            {"radio": radio, "method": methods.get(str(radio.data["value"]))}
            for radio in self["shipping_method"]
        ]

    def payment_options(self) -> list[dict]:
        """Each payment radio with its gateway's description."""
        return [
            {
                "radio": radio,
                "description": self.gateways[str(radio.data["value"])].description,
            }
            for radio in self["payment_method"]
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        email = self.user.email if self.user is not None else cleaned.get("email", "")
        try:
            cleaned["contact"] = contact_validate(
                email=email,
                name=cleaned.get("name", ""),
                phone=cleaned.get("phone", ""),
            )
        except CheckoutError as error:
            add_checkout_error(self, error)
        return cleaned


def member_details_initial(user) -> dict:
    return {"name": user.name, "phone": user.phone_display}


class AddressForm(forms.Form):
    """Step 2 for home delivery: an address from the book, or a new Taiwan address."""

    NEW = "new"

    address = forms.ChoiceField(
        label=_("Deliver to"), widget=forms.RadioSelect, required=False
    )
    recipient_name = forms.CharField(
        label=_("Recipient"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Recipient's phone"),
        max_length=30,
        required=False,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        help_text=_("3, 5 or 6 digits, e.g. 106"),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
        ),
    )
    city = forms.ChoiceField(
        label=_("City / county"),
        required=False,
        choices=[("", _("Choose a city or county"))] + list(TAIWAN_CITIES),
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    district = forms.CharField(
        label=_("District"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    street = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    NEW_FIELDS = (
        "recipient_name",
        "phone",
        "postal_code",
        "city",
        "district",
        "street",
    )

    def __init__(self, *args, method, contact: Contact, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        self.contact = contact
        self.addresses = {str(a.pk): a for a in addresses if a.country == "TW"}
        if self.addresses:
            self.fields["address"].choices = [
                (pk, f"{a.recipient_name} {display_phone(a.phone)} — {a.one_line}")
                for pk, a in self.addresses.items()
            ] + [(self.NEW, _("A new address (saved to your address book)"))]
            self.fields["address"].required = True
        else:
            del self.fields["address"]

    @property
    def wants_new(self) -> bool:
        if "address" not in self.fields:
            return True
        return self.cleaned_data.get("address") == self.NEW

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not self.wants_new:
            values = shipping_address_values(self.addresses[cleaned["address"]])
        else:
            values = {
                "recipient_name": cleaned.get("recipient_name", ""),
                "recipient_phone": cleaned.get("phone", ""),
                "postal_code": cleaned.get("postal_code", ""),
                "city": cleaned.get("city", ""),
                "district": cleaned.get("district", ""),
                "street": cleaned.get("street", ""),
            }
            for field in self.NEW_FIELDS:
                if not (cleaned.get(field) or "").strip():
                    self.add_error(field, _("This field is required."))
            if self.errors:
                return cleaned
        try:
            cleaned["shipping"] = shipping_validate(
                method=self.method, contact=self.contact, **values
            )
        except CheckoutError as error:
            if self.wants_new:
                add_checkout_error(self, error, aliases={"recipient_phone": "phone"})
            else:
                self.add_error(
                    "address",
                    _("This address cannot be used for delivery: %(reason)s")
                    % {"reason": error.message},
                )
        return cleaned


class StoreForm(forms.Form):
    """Step 2 for convenience-store pickup: the store the shopper looked up."""

    store_code = forms.CharField(
        label=_("Store number"),
        max_length=10,
        help_text=_("The number shown by the chain's store finder, e.g. 131386."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    store_name = forms.CharField(
        label=_("Store name"),
        max_length=100,
        help_text=_("e.g. 復興門市"),
    )

    def __init__(self, *args, method, contact: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        self.contact = contact

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["shipping"] = shipping_validate(
                method=self.method,
                contact=self.contact,
                store_code=cleaned.get("store_code", ""),
                store_name=cleaned.get("store_name", ""),
            )
        except CheckoutError as error:
            add_checkout_error(self, error)
        return cleaned


class PlaceOrderForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # The total on the button the shopper pressed: the order is placed only for it.
    total = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, widget=forms.HiddenInput
    )


class CheckoutOptionForm(forms.Form):
    """A choice an adjuster offers at review (e.g. paying with points).

    `option` is the offer's key, `value` the shopper's answer; `remove` (or
    an empty value) takes the choice back. The adjuster that made the offer
    judges the value when the quote is built.
    """

    option = forms.SlugField(max_length=40)
    value = forms.CharField(max_length=40, required=False)
    remove = forms.BooleanField(required=False)
