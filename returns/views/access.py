"""Who may see and act on which order's returns, in the shopper's pages.

A member reaches the returns of their own orders. A guest first proves an
order with its number and email (`/returns/guest/`, rate-limited like the
order lookup); the proof is kept in the session as a signed, timed token
naming the order and its email, so a guest reaches that order's returns and
nothing else. A browser the shop already lets see an order without signing
in (after checkout, or after the order lookup: `shop.orders.views`) may start
a return from that order's page without proving it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from returns.models import ReturnRequest
from returns.selectors import return_for_guest, return_for_user, returns_for_order
from returns.services.windows import line_return_windows
from returns.status import SHOPPER_CANCELLABLE
from shop.orders import selectors as order_selectors
from shop.orders.models import Order
from shop.orders.views import SESSION_KEY as ORDER_GRANTS_KEY

GRANTS_KEY = "returns_guest"
GRANT_SALT = "returns.guest"
# Long enough to fill in the form and come back for the status the same day.
GRANT_MAX_AGE = 24 * 60 * 60
GRANTS_KEPT = 10


@dataclass(frozen=True)
class ShopperOrder:
    """An order the visitor may return items of, and as whom they act."""

    order: Order
    # The member acting on their own order; None when acting as a guest.
    user: object | None
    email: str

    @property
    def guest(self) -> bool:
        return self.user is None


def guest_grant(request, *, order: Order) -> None:
    """Let this session reach `order`'s returns without signing in."""
    token = signing.dumps(
        {"order": order.number, "email": order.email.lower()}, salt=GRANT_SALT
    )
    kept = [t for t in request.session.get(GRANTS_KEY, []) if _load(t)]
    kept = [t for t in kept if _load(t)["order"] != order.number]
    request.session[GRANTS_KEY] = (kept + [token])[-GRANTS_KEPT:]


def _load(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=GRANT_SALT, max_age=GRANT_MAX_AGE)
    except (signing.BadSignature, TypeError):
        return None
    if not isinstance(data, dict) or not {"order", "email"} <= set(data):
        return None
    return data


def guest_grants(request) -> dict[str, str]:
    """{order number: email} this session has proved (and not let expire)."""
    grants = {}
    for token in request.session.get(GRANTS_KEY, []):
        data = _load(token)
        if data is not None:
            grants[data["order"]] = data["email"]
    return grants


def _member(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _guest_order(request, number: str) -> ShopperOrder | None:
    grants = guest_grants(request)
    number = (number or "").strip().upper()
    if number in grants:
        order = (
            order_selectors.orders_with_details()
            .filter(number=number, email__iexact=grants[number])
            .first()
        )
    elif number in request.session.get(ORDER_GRANTS_KEY, []):
        order = order_selectors.orders_with_details().filter(number=number).first()
    else:
        return None
    if order is None:
        return None
    return ShopperOrder(order=order, user=None, email=order.email)


def shopper_order(request, number: str) -> ShopperOrder | None:
    """The order `number` if this visitor may return items of it, else None."""
    member = _member(request)
    if member is not None:
        try:
            order = order_selectors.order_for_member(user=member, number=number)
        except Order.DoesNotExist:
            pass
        else:
            return ShopperOrder(order=order, user=member, email=member.email)
    return _guest_order(request, number)


def shopper_return(request, number: str) -> ReturnRequest | None:
    """The return `number` if this visitor may see it, else None."""
    member = _member(request)
    if member is not None:
        try:
            return return_for_user(user=member, number=number)
        except ReturnRequest.DoesNotExist:
            pass
    for order_number, email in guest_grants(request).items():
        found = return_for_guest(number=number, email=email)
        if found is not None and found.order.number == order_number:
            return found
    order_grants = request.session.get(ORDER_GRANTS_KEY, [])
    if order_grants:
        for order in Order.objects.filter(number__in=order_grants).only("email"):
            found = return_for_guest(number=number, email=order.email)
            if found is not None and found.order_id == order.pk:
                return found
    return None


def can_act(request, return_request: ReturnRequest) -> bool:
    """Whether this visitor may change the return (cancel it, say it was sent).

    A member's return only by that member, signed in; a guest's by whoever
    proved its order. Proving the order of a member's return shows it, but
    does not let a guest act on it.
    """
    if return_request.user_id is None:
        return True
    member = _member(request)
    return member is not None and member.pk == return_request.user_id


def can_cancel(request, return_request: ReturnRequest) -> bool:
    """Whether the cancel button is offered (the service checks it again)."""
    return return_request.status in SHOPPER_CANCELLABLE and can_act(
        request, return_request
    )


def order_returns_panel(request, *, order: Order, guest: bool) -> dict | None:
    """The order page's returns panel: the button and the order's returns.

    Left out while nothing can be returned yet and nothing has been.
    """
    if order.delivered_at is None:
        # Nothing can have been returned either; and the page writes nothing.
        return None
    windows = line_return_windows(order=order)
    returnable = [w for w in windows.values() if w.returnable_quantity > 0]
    requests = returns_for_order(order=order)
    if not returnable and not requests:
        return None
    first = next(iter(windows.values()), None)
    return {
        "can_return": bool(returnable),
        "create_url": reverse("returns:create", kwargs={"order_number": order.number}),
        "requests": requests,
        "in_cooling_off": bool(first and first.in_cooling_off),
        "cooling_off_ends": first.cooling_off_ends if first else None,
        "window_ends": first.window_ends if first else None,
        "guest": guest,
    }
