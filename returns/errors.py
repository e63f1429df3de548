"""The returns app's domain errors.

Services raise them with a message the shopper or the staff member can read;
`field` names the form or API field it belongs to, `code` lets a door (or a
test) tell the cases apart without parsing the message.
"""

from django.utils.translation import gettext_lazy as _

from shop.core.errors import ShopError


class ReturnError(ShopError):
    """A return cannot be asked for, moved or resolved as asked.

    `line_id` names the order line a per-line error belongs to (quantity,
    reason, photos, exchange), so a form or the API can show it beside it.
    """

    default_message = _("This return cannot be handled that way.")

    def __init__(
        self,
        message: str = "",
        *,
        field: str | None = None,
        code: str = "invalid",
        line_id: int | None = None,
    ):
        super().__init__(message, field=field, code=code)
        self.line_id = line_id


class IllegalTransition(ReturnError):
    """The status machine (`returns.status`) does not allow this move."""

    default_message = _("This return cannot move to that status.")
