"""Hosted payment pages confirmed by signed server-to-server notifications.

The shopper is sent to the provider's page to pay; the provider then POSTs a
notice to `/api/payments/<code>/notify/`. A notice is believed only if:

- its HMAC-SHA256 signature over the exact request body, made with the secret
  shared with the provider, matches (header `X-Payment-Signature`, hex);
- its `timestamp` (inside the signed body) is within
  `settings.PAYMENT_NOTIFICATION_MAX_AGE_SECONDS` of now, either way;
- its `id` has never been applied before (the `PaymentNotification` table).

Body (JSON): `id`, `reference` (the shop's payment reference, from
`merchant_reference`), `transaction_id`, `status` ("paid" or "failed"),
`amount` (a decimal string), `currency`, `timestamp` (Unix seconds).
A real provider adapter overrides `parse_notice` (and usually `sign`) to read
its own format; see README.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.checkout.errors import NotificationRejected
from shop.checkout.payments.base import BaseGateway, Notification

SIGNATURE_HEADER = "X-Payment-Signature"


class HostedGateway(BaseGateway):
    receives_notifications = True
    signature_header = SIGNATURE_HEADER

    def secret(self) -> bytes:
        raise NotImplementedError("a hosted gateway names its shared secret")

    @staticmethod
    def merchant_reference(payment) -> str:
        """The reference the provider echoes back: order number and payment id."""
        return f"{payment.order.number}-{payment.pk}"

    @staticmethod
    def parse_reference(reference: str) -> tuple[str, int] | None:
        number, _sep, payment_id = (reference or "").rpartition("-")
        if not number or not payment_id.isdigit():
            return None
        return number, int(payment_id)

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret(), body, hashlib.sha256).hexdigest()

    def verify_notification(self, request) -> Notification:
        return self.verify_payload(body=request.body, headers=request.headers)

    def verify_payload(self, *, body: bytes, headers) -> Notification:
        """Check signature and age, then parse; NotificationRejected if wrong."""
        signature = (headers.get(self.signature_header) or "").strip().lower()
        if not signature or not hmac.compare_digest(signature, self.sign(body)):
            raise NotificationRejected(
                _("The notification signature is not valid."), code="bad_signature"
            )
        notice = self.parse_notice(body)
        age = abs(timezone.now() - notice.sent_at)
        if age > datetime.timedelta(
            seconds=settings.PAYMENT_NOTIFICATION_MAX_AGE_SECONDS
        ):
            raise NotificationRejected(
                _("The notification is too old or from the future."), code="stale"
            )
        return notice

    def parse_notice(self, body: bytes) -> Notification:
        try:
            data = json.loads(body)
            sent_at = datetime.datetime.fromtimestamp(
                int(data["timestamp"]), tz=datetime.UTC
            )
            amount = Decimal(str(data["amount"]))
            if not amount.is_finite():
                raise ValueError("amount is not a number")
            status = str(data["status"])
            notice = Notification(
                notification_id=str(data["id"])[:100],
                payment_reference=str(data["reference"]),
                transaction_id=str(data.get("transaction_id", ""))[:100],
                status=status,
                amount=amount,
                currency=str(data["currency"]),
                sent_at=sent_at,
                payload=data,
            )
        except (
            ValueError,
            KeyError,
            TypeError,
            InvalidOperation,
            OverflowError,
            OSError,  # fromtimestamp of a year the platform cannot represent
        ) as exc:
            raise NotificationRejected(
                _("The notification could not be read."), code="malformed"
            ) from exc
        if not notice.notification_id or status not in (
            Notification.PAID,
            Notification.FAILED,
        ):
            raise NotificationRejected(
                _("The notification could not be read."), code="malformed"
            )
        return notice

    def notice_body(
        self,
        *,
        payment,
        status: str,
        notification_id: str,
        transaction_id: str = "",
        amount: Decimal | None = None,
        timestamp: int | None = None,
    ) -> bytes:
        """A notice about `payment` in this gateway's format, as the provider sends."""
        return json.dumps(
            {
                "id": notification_id,
                "reference": self.merchant_reference(payment),
                "transaction_id": transaction_id,
                "status": status,
                "amount": str(payment.amount if amount is None else amount),
                "currency": payment.currency,
                "timestamp": int(time.time()) if timestamp is None else timestamp,
            },
            separators=(",", ":"),
        ).encode()
