"""Policy texts a shopper is shown at checkout and that are frozen onto the order."""

from django.conf import settings
from django.utils.translation import gettext as _


def return_policy_version() -> str:
    return settings.RETURN_POLICY_VERSION


def return_policy_text() -> str:
    """The return policy as shown on the review step, in the active language."""
    return _(
        "You may return any item within %(days)d days of receiving it (delivery or "
        "store pickup) without giving a reason: this is your statutory cooling-off "
        "period. Items must come back complete, with their accessories and packaging. "
        "We refund what you paid for the returned items, including their share of any "
        "discount, to the original payment method or as shopping credit. Opened food, "
        "cosmetics and other hygiene products can be returned only if faulty."
    ) % {"days": settings.COOLING_OFF_DAYS}
