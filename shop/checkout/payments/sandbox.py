"""A pretend card provider: its "hosted page" is a page of this shop.

For the demo and tests. `/checkout/sandbox/pay/<token>/` shows the amount with
Pay and Fail buttons; either one makes a notice signed with
`settings.PAYMENT_SANDBOX_SECRET`, runs it through the same verification and
processing as the notify endpoint, and sends the shopper back to the order
confirmation. No card is charged and nothing goes over the network.
"""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.checkout.payments.base import PaymentStart, RefundOutcome
from shop.checkout.payments.hosted import HostedGateway
from shop.orders.models import Payment

TOKEN_SALT = "shop.checkout.sandbox"
TOKEN_MAX_AGE = 60 * 60
# Where the pretend provider keeps the refunds it made, on the payment.
REFUNDS_KEY = "sandbox_refunds"


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

    supports_refund = True

    def refund(
        self, *, payment, amount: Decimal, idempotency_key: str
    ) -> RefundOutcome:
        """Refund `amount` of a paid `payment`, as a provider would.

        Deterministic, without the network: the reference is derived from
        the key, and the refunds made are kept in `payment.data` (under the
        payment's row lock) as the provider's own records, so the same key
        again answers the first outcome and refunds nothing more. More than
        is left of the payment is declined.
        """
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            made = dict((locked.data or {}).get(REFUNDS_KEY) or {})
            if idempotency_key in made:
                return RefundOutcome(
                    succeeded=True, reference=made[idempotency_key]["reference"]
                )
            refunded = sum((Decimal(r["amount"]) for r in made.values()), Decimal(0))
            if amount <= 0 or refunded + amount > locked.amount:
                return RefundOutcome(
                    succeeded=False,
                    message=_("The refund is more than is left of the payment."),
                )
            digest = hashlib.sha256(idempotency_key.encode()).hexdigest()
            reference = f"SBXR{digest[:12].upper()}"
            made[idempotency_key] = {
                "amount": str(amount.quantize(Decimal("0.01"))),
                "reference": reference,
            }
            locked.data = {**(locked.data or {}), REFUNDS_KEY: made}
            locked.save(update_fields=["data"])
        return RefundOutcome(succeeded=True, reference=reference)
