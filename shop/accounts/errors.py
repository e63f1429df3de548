"""The accounts app's domain error."""

from shop.core.errors import ShopError


class AccountsError(ShopError):
    """A rule about a customer's profile, consents or addresses was broken."""
