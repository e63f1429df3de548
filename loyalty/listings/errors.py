"""The listing rules' domain error."""

from django.utils.translation import gettext_lazy as _

from loyalty.errors import LoyaltyError


class ListingError(LoyaltyError):
    """A listing rule cannot be saved as given; `field` names what to fix."""

    default_message = _("The member-only listing could not be saved.")
