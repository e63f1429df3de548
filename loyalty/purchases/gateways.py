"""The payment gateways a purchase can be paid with, and its reference for them.

Only hosted gateways take purchases (`receives_notifications`): the money
arrives by a signed notice to `/api/loyalty/purchases/<code>/notify/`, in the
hosted format of `shop.checkout.payments.hosted` with the purchase's number
as `reference`. The notice is checked by the gateway's own `verify_payload`
(signature, age) and `parse_notice`, the same as an order's.

Sending the shopper to pay: the sandbox card gateway's "hosted page" is a
page of this app (`loyalty:purchase_sandbox_pay`); any other hosted gateway
takes purchases once it has a `purchase_redirect_url(*, purchase, reference,
request) -> str` method (a real provider's adapter adds it beside `start`).
"""

from __future__ import annotations

import json
import secrets
import time
from decimal import Decimal

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from loyalty.errors import PurchaseError
from shop.checkout.payments import payment_gateways
from shop.checkout.payments.sandbox import SandboxCardGateway

TOKEN_SALT = "loyalty.purchases.sandbox"
TOKEN_MAX_AGE = 60 * 60


def _takes_purchases(gateway) -> bool:
    return getattr(gateway, "receives_notifications", False) and (
        isinstance(gateway, SandboxCardGateway)
        or callable(getattr(gateway, "purchase_redirect_url", None))
    )


def purchase_gateways() -> dict:
    """The gateways purchases can be paid with, by code, in checkout's order."""
    return {
        code: gateway
        for code, gateway in payment_gateways().items()
        if _takes_purchases(gateway)
    }


def purchase_gateway(code: str):
    """The purchase gateway with this code; PurchaseError on "gateway" if none."""
    gateway = purchase_gateways().get(code or "")
    if gateway is None:
        raise PurchaseError(
            _("Choose a payment method from the list."),
            field="gateway",
            code="invalid_gateway",
        )
    return gateway


def purchase_reference(purchase) -> str:
    """The reference the provider echoes back for `purchase`: its number."""
    return purchase.number


def redirect_url(*, gateway, purchase, request) -> str:
    """Where the shopper pays `purchase` with `gateway`."""
    if isinstance(gateway, SandboxCardGateway):
        token = signing.dumps(
            {"purchase": purchase.pk, "gateway": gateway.code}, salt=TOKEN_SALT
        )
        return reverse("loyalty:purchase_sandbox_pay", args=[token])
    return gateway.purchase_redirect_url(
        purchase=purchase, reference=purchase_reference(purchase), request=request
    )


def sandbox_token_read(token: str) -> tuple[str, int] | None:
    """(gateway code, purchase id) from a sandbox page token; None if bad or old."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        return str(data["gateway"]), int(data["purchase"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def sandbox_notice(
    *,
    gateway: SandboxCardGateway,
    purchase,
    outcome: str,
    amount: Decimal | None = None,
    notification_id: str | None = None,
    timestamp: int | None = None,
) -> tuple[bytes, dict[str, str]]:
    """The body and headers the sandbox provider POSTs once the shopper paid or failed.

    The hosted format (see `shop.checkout.payments.hosted`), signed with the
    gateway's `sign`.
    """
    body = json.dumps(
        {
            "id": notification_id or f"sbx_{secrets.token_hex(12)}",
            "reference": purchase_reference(purchase),
            "transaction_id": f"SBX{secrets.token_hex(6).upper()}"
            if outcome == "paid"
            else "",
            "status": outcome,
            "amount": str(purchase.amount if amount is None else amount),
            "currency": purchase.currency,
            "timestamp": int(time.time()) if timestamp is None else timestamp,
        },
        separators=(",", ":"),
    ).encode()
    return body, {gateway.signature_header: gateway.sign(body)}
