"""ATM / bank transfer (ATM 轉帳): the order waits until the merchant sees the money."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.checkout.payments.base import BaseGateway, PaymentStart
from shop.core.money import format_money
from shop.orders.selectors import order_payment_deadline


class BankTransferGateway(BaseGateway):
    """Shows the shop's account and a pay-by date; the order stays pending payment.

    The merchant marks it paid in the back office; an order still unpaid after
    `settings.ATM_PAYMENT_DAYS` is cancelled and restocked by a beat task of
    the orders app. The account shown and the pay-by date are stored on the
    payment at placement, so what the shopper was told never changes.
    """

    code = "atm"
    label = gettext_lazy("ATM / bank transfer")
    placed_emails = ("placed", "payment_instructions")

    @property
    def description(self) -> str:
        return _(
            "Transfer the amount within %(days)d days; we ship once it arrives."
        ) % {"days": settings.ATM_PAYMENT_DAYS}

    def payment_data(self, *, order) -> dict:
        pay_by = order_payment_deadline(order=order)
        return {"pay_by": pay_by.isoformat(), "bank": dict(settings.ATM_BANK_ACCOUNT)}

    def start(self, order, payment, request) -> PaymentStart:
        bank = payment.data.get("bank") or settings.ATM_BANK_ACCOUNT
        amount = format_money(payment.amount, payment.currency)
        pay_by = payment.data.get("pay_by")
        deadline = (
            datetime.datetime.fromisoformat(pay_by)
            if pay_by
            else order_payment_deadline(order=order)
        )
        pay_by_text = date_format(timezone.localtime(deadline), "DATETIME_FORMAT")
        return PaymentStart(
            message=_(
                "Please transfer %(amount)s by %(date)s. We prepare your order as soon "
                "as the payment arrives; unpaid orders are cancelled after that date."
            )
            % {"amount": amount, "date": pay_by_text},
            instructions=[
                (_("Bank"), f"{bank['bank_code']} {bank['bank_name']}"),
                (_("Account number"), bank["account"]),
                (_("Account holder"), bank["holder"]),
                (_("Amount"), amount),
                (_("Pay by"), pay_by_text),
            ],
        )
