"""Domain errors of the catalogue; the doors turn them into form errors or 400s."""

from django.utils.translation import gettext_lazy as _

from shop.core.errors import ShopError


class CatalogError(ShopError):
    """A catalogue rule was broken."""

    default_message = _("The catalogue could not be changed.")


class ProductImageRejected(CatalogError):
    """An uploaded picture failed validation (type, size, dimensions, damage)."""

    default_message = _("The picture was rejected.")

    def __init__(self, message: str = "", *, code: str = "invalid"):
        super().__init__(message, field="image", code=code)
