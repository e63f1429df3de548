"""Cash on delivery (貨到付款 / 取貨付款): paid when the parcel is handed over."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.checkout.payments.base import BaseGateway, PaymentStart
from shop.core.money import format_money
from shop.orders.models import ShippingKind
from shop.orders.status import OrderStatus


class CashOnDeliveryGateway(BaseGateway):
    """The order starts in processing; its payment stays pending.

    Nothing is waited for: the parcel is paid for when it is handed over. The
    payment carries `collect_on_delivery` and is marked paid when the parcel
    is delivered or picked up (by the orders app).
    """

    code = "cod"
    label = gettext_lazy("Cash on delivery")
    description = gettext_lazy(
        "Pay in cash when the parcel is delivered or when you pick it up."
    )
    initial_status = OrderStatus.PROCESSING
    placed_note = gettext_lazy(
        "Cash on delivery: prepared without waiting for payment."
    )

    def payment_data(self, *, order) -> dict:
        return {"collect_on_delivery": True}

    def start(self, order, payment, request) -> PaymentStart:
        amount = format_money(payment.amount, payment.currency)
        if order.shipping_kind == ShippingKind.HOME:
            message = _("Please pay %(amount)s in cash when your parcel is delivered.")
        elif order.shipping_kind == ShippingKind.STORE:
            message = _(
                "Please pay %(amount)s when you pick up your order at our store."
            )
        else:
            message = _(
                "Please pay %(amount)s at the convenience store when you pick up "
                "your parcel."
            )
        return PaymentStart(message=message % {"amount": amount})
