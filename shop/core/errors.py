"""The base of every domain error.

Services raise a subclass with a message a shopper or merchant can read; the
doors (forms, views, API) turn it into a form error, a message or a 400.
"""


class ShopError(Exception):
    """A rule of the shop was broken; `message` is shown to the user as it is."""

    default_message = ""

    def __init__(
        self, message: str = "", *, field: str | None = None, code: str = "invalid"
    ):
        self.message = str(message or self.default_message)
        self.field = field
        self.code = code
        super().__init__(self.message)
