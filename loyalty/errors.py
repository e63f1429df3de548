"""The loyalty programme's domain errors."""

from django.utils.translation import gettext_lazy as _

from shop.checkout.errors import CheckoutError
from shop.core.errors import ShopError


class LoyaltyError(ShopError):
    default_message = _("The loyalty programme could not do that.")


class PointsError(CheckoutError):
    """Points cannot be used as asked; a CheckoutError so checkout shows it."""

    default_message = _("These points cannot be used.")


class CouponError(CheckoutError, LoyaltyError):
    """A coupon cannot be used (or issued) as asked; field "coupon" at checkout.

    A CheckoutError so checkout shows it beside the coupon and drops the
    choice; raised in the placement transaction it rolls the order back.
    """

    default_message = _("This coupon cannot be used.")


class PlanError(LoyaltyError):
    """A paid membership cannot be bought, cancelled or refunded as asked."""

    default_message = _("The paid membership could not be changed.")


class CreditError(CheckoutError, LoyaltyError):
    """Shopping credit cannot be used, granted or taken as asked.

    A CheckoutError so checkout shows it beside the credit offer (field
    "credit") and drops the choice; raised in the placement transaction it
    rolls the order back.
    """

    default_message = _("This shopping credit cannot be used.")


class PurchaseError(LoyaltyError):
    """A top-up or membership purchase cannot be started, paid or refunded."""

    default_message = _("This purchase could not be completed.")
