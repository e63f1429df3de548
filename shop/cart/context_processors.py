from django.utils.functional import SimpleLazyObject

from shop.cart.selectors import cart_item_count
from shop.cart.storage import CartRef


def cart(request):
    """`cart_count` for the header, computed only when a template shows it."""
    if not hasattr(request, "session"):
        return {"cart_count": 0}
    return {
        "cart_count": SimpleLazyObject(
            lambda: cart_item_count(cart=CartRef.for_request(request))
        )
    }
