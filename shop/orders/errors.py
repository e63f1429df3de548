from django.utils.translation import gettext_lazy as _

from shop.core.errors import ShopError


class OrderError(ShopError):
    default_message = _("This order cannot be changed that way.")


class IllegalTransition(OrderError):
    pass
