"""The cart's domain error."""

from django.utils.translation import gettext_lazy as _

from shop.core.errors import ShopError


class CartError(ShopError):
    """A cart change was refused; the message says why ("Only 2 left …")."""

    default_message = _("Your cart could not be changed.")
