"""The loyalty programme's domain errors."""

from django.utils.translation import gettext_lazy as _

from shop.checkout.errors import CheckoutError
from shop.core.errors import ShopError


class LoyaltyError(ShopError):
    default_message = _("The loyalty programme could not do that.")


class PointsError(CheckoutError):
    """Points cannot be used as asked; a CheckoutError so checkout shows it."""

    default_message = _("These points cannot be used.")
