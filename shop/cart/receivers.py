"""Auth glue: a visitor's cart follows them into their account when they log in."""

from django.contrib import messages

from shop.cart.services import cart_merge_at_login
from shop.core.shopper import shopper_for_request, shopper_for_user


def merge_cart_on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is None:
        return
    # The request's own shopper when it is already `user`'s: what the session
    # opened as a visitor (a member-only listing's private link) still holds,
    # so the line added through it is not dropped as unavailable.
    shopper = (
        shopper_for_request(request)
        if getattr(request, "user", None) is user
        else shopper_for_user(user)
    )
    notes = cart_merge_at_login(shopper=shopper, session=session, user=user)
    if notes and hasattr(request, "_messages"):
        for note in notes:
            messages.warning(request, note)
