"""A pretend card provider: its "hosted page" is a page of this shop.

For the demo and tests. `/checkout/sandbox/pay/<token>/` shows the amount with
Pay and Fail buttons; either one makes a notice signed with
`settings.PAYMENT_SANDBOX_SECRET`, runs it through the same verification and
processing as the notify endpoint, and sends the shopper back to the order
confirmation. No card is charged and nothing goes over the network.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy

from shop.checkout.payments.base import PaymentStart
from shop.checkout.payments.hosted import HostedGateway

TOKEN_SALT = "shop.checkout.sandbox"
TOKEN_MAX_AGE = 60 * 60


class SandboxCardGateway(HostedGateway):
    code = "card"
    label = gettext_lazy("Credit card")
    description = gettext_lazy(
        "Pay by card on the payment provider's secure page "
        "(sandbox: no card is charged)."
    )

    def secret(self) -> bytes:
        return settings.PAYMENT_SANDBOX_SECRET.encode()

    def start(self, order, payment, request) -> PaymentStart:
        token = signing.dumps(
            {"payment": payment.pk, "gateway": self.code}, salt=TOKEN_SALT
        )
        return PaymentStart(redirect_url=reverse("checkout:sandbox_pay", args=[token]))

    @staticmethod
    def payment_id_from_token(token: str) -> tuple[str, int] | None:
        try:
            data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            return str(data["gateway"]), int(data["payment"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None

    def simulate(self, *, payment, outcome: str) -> tuple[bytes, dict[str, str]]:
        """The body and headers the provider POSTs once the shopper paid or failed."""
        body = self.notice_body(
            payment=payment,
            status=outcome,
            notification_id=f"sbx_{secrets.token_hex(12)}",
            transaction_id=f"SBX{secrets.token_hex(6).upper()}"
            if outcome == "paid"
            else "",
        )
        return body, {self.signature_header: self.sign(body)}
