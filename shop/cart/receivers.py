"""Auth glue: a visitor's cart follows them into their account when they log in."""

from django.contrib import messages

from shop.cart.services import cart_merge_at_login
from shop.core.shopper import shopper_for_user


def merge_cart_on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is None:
        return
    notes = cart_merge_at_login(
        shopper=shopper_for_user(user), session=session, user=user
    )
    if notes and hasattr(request, "_messages"):
        for note in notes:
            messages.warning(request, note)
