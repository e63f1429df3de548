"""Forms of the member area and of sign-up.

Forms check what a shopper typed and show errors beside the fields; the rules
themselves live in `services.py`, whose `AccountsError` is put back on the form
with `add_service_error`.
"""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.accounts.errors import AccountsError
from shop.accounts.models import Address, ConsentRecord, User
from shop.accounts.regions import TAIWAN_CITIES, address_countries
from shop.accounts.services import user_consent_set
from shop.accounts.validators import normalize_phone, normalize_tw_postal_code

SMS_NEEDS_PHONE = _(
    "Add a mobile phone number to receive SMS offers, or untick SMS offers."
)
PHONE_HELP = _("A Taiwan mobile such as 0912-345-678, or an international number.")


def add_service_error(form: forms.Form, error: AccountsError) -> None:
    """Show a service's error beside its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _phone_field(*, required: bool, label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Mobile phone"),
        required=required,
        max_length=30,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


def _clean_phone_value(value: str) -> str:
    value = (value or "").strip()
    return normalize_phone(value) if value else ""


class ConsentFieldsMixin(forms.Form):
    accepts_email_marketing = forms.BooleanField(
        label=_("Send me offers and news by email"), required=False
    )
    accepts_sms_marketing = forms.BooleanField(
        label=_("Send me offers by SMS"), required=False
    )

    def _check_sms_needs_phone(self, phone: str) -> None:
        if self.cleaned_data.get("accepts_sms_marketing") and not phone:
            self.add_error(
                "phone",
                SMS_NEEDS_PHONE,
            )


class SignupForm(ConsentFieldsMixin, AllauthSignupForm):
    """allauth's sign-up with the member's name, an optional phone and consents."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = _phone_field(required=False, label=_("Mobile phone (optional)"))
    accept_terms = forms.BooleanField(
        label=_("I agree to the terms of service and the privacy policy"),
        required=True,
        error_messages={
            "required": _("Please accept the terms of service to create an account.")
        },
    )

    field_order = [
        "name",
        "email",
        "phone",
        "password1",
        "password2",
        "accepts_email_marketing",
        "accepts_sms_marketing",
        "accept_terms",
    ]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Enter your name."))
        return name

    def clean_phone(self) -> str:
        return _clean_phone_value(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if "phone" in cleaned:
            self._check_sms_needs_phone(cleaned["phone"])
        return cleaned

    def signup(self, request, user: User) -> None:
        """Called by allauth once the user is saved (the adapter stored the name)."""
        for channel, field in (
            (ConsentRecord.Channel.EMAIL, "accepts_email_marketing"),
            (ConsentRecord.Channel.SMS, "accepts_sms_marketing"),
        ):
            user_consent_set(
                user=user,
                channel=channel,
                granted=self.cleaned_data[field],
                source="signup",
            )


class ProfileForm(ConsentFieldsMixin, forms.Form):
    """A member's own profile. The birthday is read-only once it has been set."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = _phone_field(required=False)
    birthday = forms.DateField(
        label=_("Birthday"),
        required=False,
        help_text=_("You can set your birthday once; it brings a birthday gift."),
        widget=forms.DateInput(
            attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"
        ),
    )

    field_order = [
        "name",
        "phone",
        "birthday",
        "accepts_email_marketing",
        "accepts_sms_marketing",
    ]

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": user.name,
                "phone": user.phone_display,
                "birthday": user.birthday,
                "accepts_email_marketing": user.accepts_email_marketing,
                "accepts_sms_marketing": user.accepts_sms_marketing,
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        if user.birthday is not None:
            birthday = self.fields["birthday"]
            # A disabled field ignores what is posted and keeps the stored value.
            birthday.disabled = True
            birthday.help_text = _(
                "Your birthday is set. To correct it, please contact us."
            )

    def clean_phone(self) -> str:
        return _clean_phone_value(self.cleaned_data.get("phone", ""))

    def clean_birthday(self):
        birthday = self.cleaned_data.get("birthday")
        if birthday is not None and birthday > timezone.localdate():
            raise ValidationError(_("Your birthday cannot be in the future."))
        return birthday

    def clean(self):
        cleaned = super().clean()
        if "phone" in cleaned:
            self._check_sms_needs_phone(cleaned["phone"])
        return cleaned


class AddressForm(forms.Form):
    """An address of the book; for Taiwan the city is picked from the counties."""

    recipient_name = forms.CharField(
        label=_("Recipient"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = _phone_field(required=True, label=_("Recipient's phone"))
    country = forms.ChoiceField(
        label=_("Country or region"),
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
        ),
    )
    city = forms.CharField(label=_("City / county"), max_length=50)
    district = forms.CharField(label=_("District"), max_length=50, required=False)
    street = forms.CharField(
        label=_("Street address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    is_default = forms.BooleanField(
        label=_("Use as my default address"), required=False
    )

    def __init__(self, *args, address: Address | None = None, **kwargs):
        if address is not None:
            kwargs.setdefault(
                "initial",
                {
                    "recipient_name": address.recipient_name,
                    "phone": address.phone_display,
                    "country": address.country,
                    "postal_code": address.postal_code,
                    "city": address.city,
                    "district": address.district,
                    "street": address.street,
                    "is_default": address.is_default,
                },
            )
        super().__init__(*args, **kwargs)
        self.address = address
        countries = address_countries()
        self.fields["country"].choices = countries
        self.country = self._chosen_country(default=countries[0][0])
        if self.country == "TW":
            self.fields["city"] = forms.ChoiceField(
                label=_("City / county"),
                choices=[("", _("Choose a city or county"))] + list(TAIWAN_CITIES),
                widget=forms.Select(attrs={"autocomplete": "address-level1"}),
            )
            self.fields["postal_code"].required = True
            self.fields["postal_code"].help_text = _("3, 5 or 6 digits, e.g. 106")
            self.fields["district"].required = True
        else:
            self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        if address is not None and address.is_default:
            # The default moves by choosing another address, never by unticking.
            del self.fields["is_default"]

    def _chosen_country(self, *, default: str) -> str:
        valid = {code for code, _name in self.fields["country"].choices}
        if self.is_bound:
            country = self.data.get(self.add_prefix("country"), "")
        else:
            country = self.get_initial_for_field(self.fields["country"], "country")
        country = (country or "").upper()
        if not country:
            return default
        return country if country in valid else default

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean_city(self) -> str:
        return self.cleaned_data["city"].strip()

    def clean_postal_code(self) -> str:
        postal_code = self.cleaned_data.get("postal_code", "").strip()
        if self.country == "TW":
            return normalize_tw_postal_code(postal_code)
        return postal_code

    def service_kwargs(self) -> dict:
        """The cleaned values, named as the address services take them."""
        data = self.cleaned_data
        return {
            "recipient_name": data["recipient_name"],
            "phone": data["phone"],
            "country": data["country"],
            "postal_code": data["postal_code"],
            "city": data["city"],
            "district": data["district"],
            "street": data["street"],
            "is_default": bool(data.get("is_default")),
        }
