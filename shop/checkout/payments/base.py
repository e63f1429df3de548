"""The payment gateway seam: what every way of paying provides.

A gateway is a class named in `settings.PAYMENT_GATEWAYS` (code → class
path). Checkout offers them in that order. See README.md in this folder for
how to add a provider such as ECPay or NewebPay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from django.utils.translation import gettext as _

from shop.checkout.errors import NotificationRejected, PaymentError
from shop.orders.status import OrderStatus


@dataclass(frozen=True)
class PaymentStart:
    """How the shopper pays next: go to `redirect_url`, or follow the instructions.

    `instructions` are (label, value) pairs shown on the confirmation page and
    in emails (e.g. bank, account number, amount, pay by); `message` is a
    sentence above them.
    """

    redirect_url: str = ""
    message: str = ""
    instructions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Notification:
    """A provider's verified notice about one payment.

    `payment_reference` is the reference this shop gave the provider when the
    payment started (see `HostedGateway.merchant_reference`);
    `transaction_id` is the provider's own id, stored on the payment.
    """

    notification_id: str
    payment_reference: str
    transaction_id: str
    status: str  # "paid" or "failed"
    amount: Decimal
    currency: str
    sent_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)

    PAID = "paid"
    FAILED = "failed"


@dataclass(frozen=True)
class RefundOutcome:
    """A provider's answer to a refund: done (with its reference) or declined.

    The same idempotency key always gets the same answer, so a retried
    refund is never paid twice.
    """

    succeeded: bool
    reference: str = ""
    message: str = ""


@runtime_checkable
class PaymentGateway(Protocol):
    code: str
    label: str
    description: str
    # Emails sent when an order with this method is placed ("placed" is always one).
    placed_emails: tuple[str, ...]
    # The status a new order starts in, and why (a note on its first event).
    initial_status: str
    placed_note: str
    # True for hosted pages that confirm payments with signed notices.
    receives_notifications: bool

    def payment_data(self, *, order) -> dict:
        """What the new payment's `data` holds from placement (e.g. a pay-by date)."""

    def placed(self, *, order, payment, actor=None) -> None:
        """Called inside the placement transaction once order and payment exist."""

    def start(self, order, payment, request) -> PaymentStart:
        """How the shopper pays this order: a redirect, or instructions."""

    def verify_notification(self, request) -> Notification:
        """Check a provider's notice and return it; raise NotificationRejected if bad.

        Only hosted gateways receive notices; the others raise.
        """


class BaseGateway:
    """Defaults for gateways that need no redirect and receive no notices."""

    code = ""
    label = ""
    description = ""
    placed_emails: tuple[str, ...] = ("placed",)
    receives_notifications = False
    initial_status = OrderStatus.PENDING_PAYMENT
    placed_note = ""

    def __init__(self, code: str = ""):
        if code:
            self.code = code

    def payment_data(self, *, order) -> dict:
        return {}

    def placed(self, *, order, payment, actor=None) -> None:
        return None

    def start(self, order, payment, request) -> PaymentStart:
        return PaymentStart()

    def verify_notification(self, request) -> Notification:
        raise NotificationRejected(
            _("This payment method does not take notifications."), code="not_supported"
        )

    # Whether `refund` can give money back through the provider; without it a
    # refund is a bank transfer the merchant pays by hand (cash on delivery,
    # ATM).
    supports_refund = False

    def refund(
        self, *, payment, amount: Decimal, idempotency_key: str
    ) -> RefundOutcome:
        """Give `amount` of `payment` back through the provider.

        Called after the refund is recorded, outside its transaction; the
        provider must treat `idempotency_key` as one refund however often it
        is sent. Raises PaymentError (code "not_supported") here.
        """
        raise PaymentError(
            _("This payment method cannot refund automatically."),
            code="not_supported",
        )
