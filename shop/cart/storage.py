"""Where a cart lives: the session for visitors, the database for members.

`CartRef` names a cart without loading it. The functions here only read and
write what is stored (variant id → quantity, in the order the lines were
added); every rule about what may go into a cart lives in `services.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from shop.cart.models import Cart, CartLine

SESSION_KEY = "cart"


@dataclass(frozen=True)
class CartRef:
    """A visitor's session cart, or a member's database cart when `user` is set."""

    session: Any = None
    user: Any = None

    @property
    def is_member(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @classmethod
    def for_request(cls, request) -> CartRef:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return cls(session=getattr(request, "session", None), user=user)
        return cls(session=request.session)


def _session_items(session) -> dict[int, int]:
    raw = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(raw, dict):
        return {}
    items = {}
    for key, quantity in raw.items():
        # The session is client-influenced storage: skip anything malformed.
        try:
            variant_id, quantity = int(key), int(quantity)
        except (TypeError, ValueError):
            continue
        if quantity > 0:
            items[variant_id] = quantity
    return items


def stored_items(cart: CartRef) -> dict[int, int]:
    """{variant id: quantity} in the order lines were added; one query for members."""
    if cart.is_member:
        return dict(
            CartLine.objects.filter(cart__user=cart.user)
            .order_by("added_at", "id")
            .values_list("variant_id", "quantity")
        )
    return _session_items(cart.session)


def stored_count(cart: CartRef) -> int:
    """How many items (units) the cart holds."""
    if cart.is_member:
        total = CartLine.objects.filter(cart__user=cart.user).aggregate(
            n=Sum("quantity")
        )
        return total["n"] or 0
    return sum(_session_items(cart.session).values())


def member_cart_lock(user) -> Cart:
    """The member's cart row, created if needed and locked for this transaction.

    Changes to one member's cart (two tabs, the app and the website) are
    serialised on this row, so a stock check and its write cannot interleave.
    """
    cart, _created = Cart.objects.get_or_create(user=user)
    return Cart.objects.select_for_update().get(pk=cart.pk)


def stored_set(
    cart: CartRef, variant_id: int, quantity: int, *, db_cart: Cart | None = None
):
    """Store `quantity` of the variant; zero removes the line."""
    if cart.is_member:
        db_cart = db_cart or member_cart_lock(cart.user)
        if quantity <= 0:
            CartLine.objects.filter(cart=db_cart, variant_id=variant_id).delete()
        else:
            updated = CartLine.objects.filter(
                cart=db_cart, variant_id=variant_id
            ).update(quantity=quantity)
            if not updated:
                CartLine.objects.create(
                    cart=db_cart, variant_id=variant_id, quantity=quantity
                )
        return
    items = {str(k): v for k, v in _session_items(cart.session).items()}
    if quantity <= 0:
        items.pop(str(variant_id), None)
    else:
        items[str(variant_id)] = quantity
    cart.session[SESSION_KEY] = items


def stored_clear(cart: CartRef) -> None:
    if cart.is_member:
        CartLine.objects.filter(cart__user=cart.user).delete()
    elif cart.session is not None and SESSION_KEY in cart.session:
        del cart.session[SESSION_KEY]


def session_items_take(session) -> dict[int, int]:
    """Empty a session cart and return what it held (used when merging at login)."""
    items = _session_items(session)
    if session is not None and SESSION_KEY in session:
        del session[SESSION_KEY]
    return items
