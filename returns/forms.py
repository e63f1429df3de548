"""The shopper's return form: one block per order line, then the request's choices.

The form only reads the input; every rule (windows, quantities, reasons,
photos, exchange stock, bank account) is `return_request_create`'s, and its
`ReturnError` comes back here beside the field (and the line) it names. Lines
that cannot be returned are shown disabled, yet a submitted quantity for one
(a page left open past the window) still goes to the service, which refuses
it with its own message.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from returns.errors import ReturnError
from returns.models import Resolution, ReturnMethod, ReturnReason
from returns.selectors import ExchangeOption
from returns.services.requests import (
    BANK_TRANSFER_METHODS,
    MAX_PHOTOS_PER_LINE,
    BankAccount,
    ReturnLineInput,
)
from returns.services.windows import FAULT_REASONS, LineWindow
from returns.templatetags.returns_tags import percent

PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files under one name; the count and content are the service's."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": PHOTO_TYPES, "multiple": True}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ExchangeSelect(forms.Select):
    """A select whose sold-out options are shown, but cannot be chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def _exchange_label(option: ExchangeOption) -> str:
    if option.stock <= 0:
        return _("%(option)s (out of stock)") % {"option": option.label}
    return _("%(option)s (%(count)d in stock)") % {
        "option": option.label,
        "count": option.stock,
    }


class ReturnLineForm(forms.Form):
    """One order line: how many to send back, why, photos, and an exchange."""

    quantity = forms.IntegerField(
        label=_("How many to return"), required=False, min_value=0, widget=forms.Select
    )
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    reason_text = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the reason is “Other”."),
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 8 MB each. Location data is removed."),
    )
    exchange_variant = forms.TypedChoiceField(
        label=_("Exchange for"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=ExchangeSelect,
        help_text=_("Only when you choose an exchange below."),
    )

    def __init__(self, *args, line, window: LineWindow, exchange_options, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.line = line
        self.window = window
        self.exchange_options = exchange_options
        self.returnable = window.returnable_quantity > 0
        # Any count up to the line's quantity is read, so that a count above
        # what may still come back gets the service's own message.
        offered = window.returnable_quantity if self.returnable else 0
        quantity = self.fields["quantity"]
        quantity.max_value = line.quantity
        quantity.validators.append(MaxValueValidator(line.quantity))
        quantity.widget.choices = [(0, _("None"))] + [
            (n, str(n)) for n in range(1, offered + 1)
        ]
        # Every reason is read (the service decides); a line sold as not
        # returnable offers only the faults the seller answers for.
        reason = self.fields["reason"]
        reason.choices = [("", _("Choose a reason"))] + list(ReturnReason.choices)
        if window.faulty_only:
            reason.widget.choices = [("", _("Choose a reason"))] + [
                (value, label)
                for value, label in ReturnReason.choices
                if value in FAULT_REASONS
            ]
        self.fields["photos"].label = _("Photos (up to %(max)d)") % {
            "max": MAX_PHOTOS_PER_LINE
        }
        exchange = self.fields["exchange_variant"]
        exchange.choices = [("", _("Choose an option"))] + [
            (option.variant_id, _exchange_label(option)) for option in exchange_options
        ]
        exchange.widget.disabled_values = {
            str(option.variant_id) for option in exchange_options if option.stock <= 0
        }
        if not exchange_options:
            del self.fields["exchange_variant"]
        if not self.returnable:
            for field in self.fields.values():
                field.widget.attrs["disabled"] = True

    @property
    def chosen(self) -> bool:
        return bool(self.is_bound and self.cleaned_data.get("quantity"))

    def line_input(self) -> ReturnLineInput:
        data = self.cleaned_data
        return ReturnLineInput(
            order_line_id=self.line.pk,
            quantity=data["quantity"],
            reason=data.get("reason") or "",
            reason_text=data.get("reason_text") or "",
            exchange_variant_id=data.get("exchange_variant"),
            photos=data.get("photos") or [],
        )


class ReturnRequestForm(forms.Form):
    """What the shopper wants back, how the parcel travels, and a bank account."""

    resolution = forms.ChoiceField(
        label=_("What would you like?"), widget=forms.RadioSelect
    )
    method = forms.ChoiceField(
        label=_("How will you send it back?"), widget=forms.RadioSelect
    )
    shopper_note = forms.CharField(
        label=_("Anything else we should know?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bank_code = forms.CharField(
        label=_("Bank code"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("3 digits, or 7 with the branch."),
    )
    account_name = forms.CharField(
        label=_("Account holder"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    account_number = forms.CharField(
        label=_("Account number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    BANK_FIELDS = ("bank_code", "account_name", "account_number")

    def __init__(self, *args, order, credit_bonus_percent, can_exchange, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.order = order
        self.needs_bank = order.payment_method in BANK_TRANSFER_METHODS
        resolutions = []
        for value, label in Resolution.choices:
            if value == Resolution.CREDIT:
                # Credit lives in a member's wallet: a guest order cannot take it.
                if order.user_id is None:
                    continue
                if credit_bonus_percent:
                    label = _("Shopping credit, with a %(percent)s%% bonus") % {
                        "percent": percent(credit_bonus_percent)
                    }
            if value == Resolution.EXCHANGE and not can_exchange:
                continue
            resolutions.append((value, label))
        self.fields["resolution"].choices = resolutions
        self.fields["resolution"].initial = Resolution.REFUND
        methods = [
            (value, label)
            for value, label in ReturnMethod.choices
            # Pickup comes to a street address; a pickup order has none.
            if value != ReturnMethod.PICKUP or order.street
        ]
        self.fields["method"].choices = methods
        self.fields["method"].initial = ReturnMethod.CVS_CODE
        if not self.needs_bank:
            for name in self.BANK_FIELDS:
                del self.fields[name]

    def bank(self) -> BankAccount | None:
        if not self.needs_bank:
            return None
        data = self.cleaned_data
        return BankAccount(
            bank_code=data.get("bank_code") or "",
            account_name=data.get("account_name") or "",
            account_number=data.get("account_number") or "",
        )


class ReturnCreateForm:
    """The line forms and the request form of one order, read and shown together."""

    def __init__(
        self, data=None, files=None, *, order, windows, exchange_options, policy
    ):
        self.order = order
        self.line_forms: dict[int, ReturnLineForm] = {}
        for line in order.lines.all():
            window = windows[line.pk]
            self.line_forms[line.pk] = ReturnLineForm(
                data,
                files,
                prefix=f"line-{line.pk}",
                line=line,
                window=window,
                exchange_options=exchange_options.get(line.pk, []),
                initial={"quantity": 0},
            )
        self.request_form = ReturnRequestForm(
            data,
            order=order,
            credit_bonus_percent=policy.credit_bonus_percent,
            can_exchange=any(exchange_options.values()),
        )

    @property
    def lines(self) -> list[ReturnLineForm]:
        return list(self.line_forms.values())

    def is_valid(self) -> bool:
        valid = self.request_form.is_valid()
        for form in self.line_forms.values():
            valid = form.is_valid() and valid
        if valid and not any(form.chosen for form in self.line_forms.values()):
            self.request_form.add_error(None, _("Choose at least one item to return."))
            valid = False
        return valid

    def service_arguments(self) -> dict:
        """`return_request_create`'s keyword arguments besides order and shopper."""
        data = self.request_form.cleaned_data
        return {
            "lines": [form.line_input() for form in self.lines if form.chosen],
            "resolution": data["resolution"],
            "method": data["method"],
            "shopper_note": data.get("shopper_note") or "",
            "bank": self.request_form.bank(),
        }

    def add_service_error(self, error: ReturnError) -> None:
        """Show a service refusal beside the field (and the line) it names."""
        line_form = self.line_forms.get(getattr(error, "line_id", None))
        if line_form is not None:
            field = error.field if error.field in line_form.fields else None
            line_form.add_error(field, error.message)
            return
        field = error.field if error.field in self.request_form.fields else None
        self.request_form.add_error(field, error.message)

    @property
    def has_errors(self) -> bool:
        return bool(self.request_form.errors) or any(
            form.errors for form in self.line_forms.values()
        )
