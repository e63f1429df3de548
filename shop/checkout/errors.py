"""Checkout's domain errors."""

from django.utils.translation import gettext_lazy as _

from shop.core.errors import ShopError


class CheckoutError(ShopError):
    """An order cannot be placed as asked; the message tells the shopper what to fix."""

    default_message = _("Your order could not be placed.")


class PaymentError(ShopError):
    default_message = _("The payment could not be started.")


class NotificationRejected(ShopError):
    """A payment notice was refused (bad signature, stale, replayed, wrong amount).

    Nothing is changed when this is raised; the notify endpoint answers 400.
    """

    default_message = _("The payment notification was rejected.")
