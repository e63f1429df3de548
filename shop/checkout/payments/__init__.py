"""Payment gateways, chosen by `settings.PAYMENT_GATEWAYS` (code → class path)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shop.checkout.errors import PaymentError
from shop.checkout.payments.base import PaymentGateway


def payment_gateways() -> dict[str, PaymentGateway]:
    """Every configured gateway, keyed by code, in the order checkout offers them."""
    return {
        code: import_string(path)(code)
        for code, path in settings.PAYMENT_GATEWAYS.items()
    }


def payment_gateway(code: str) -> PaymentGateway:
    """The gateway with this code; PaymentError on `payment_method` if unknown."""
    path = settings.PAYMENT_GATEWAYS.get(code or "")
    if path is None:
        raise PaymentError(
            _("Choose a payment method from the list."),
            field="payment_method",
            code="invalid_payment_method",
        )
    return import_string(path)(code)
