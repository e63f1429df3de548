"""Checkout as a member meets it, for the tests of paying with points, credit
and coupons: the review page through the test client, or placing an order
through the checkout services with options.
"""

from __future__ import annotations

from django.contrib.messages import get_messages

from shop.checkout.details import Contact
from shop.checkout.tests.helpers import place
from shop.core.shopper import shopper_for_user

DETAILS = {
    "name": "林小美",
    "phone": "0912345678",
    "shipping_method": "store",  # no fee, no address
    "payment_method": "atm",
}


def messages_of(response) -> list[str]:
    """The messages waiting after `response`; earlier unread ones come first."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def review_page_reach(client, user, item) -> None:
    """Sign `user` in and take them to the review page with one `item` in the cart.

    The cart's "added" message is read on the way, so a test sees only its own.
    """
    client.force_login(user)
    assert client.post("/cart/add/", {"variant": item.pk}).status_code == 302
    response = client.post("/checkout/", DETAILS)
    assert response.status_code == 302 and response.url == "/checkout/review/"
    client.get("/checkout/review/")  # shows (and so clears) the cart's message


def review_place(client):
    """Place the order of the review page as it stands (its key and total)."""
    form = client.get("/checkout/review/").context["form"]
    return client.post(
        "/checkout/review/",
        {
            "idempotency_key": form["idempotency_key"].value(),
            "total": form["total"].value(),
        },
    )


def place_with_options(user, item, method, **options):
    """Place an order of one `item` for `user` through the services, with `options`.

    Paid by ATM transfer, so the order waits for payment unless the options
    pay all of it.
    """
    return place(
        shopper=shopper_for_user(user),
        items={item.pk: 1},
        method=method,
        contact=Contact(email=user.email, name="林小美", phone="0912345678"),
        payment_method="atm",
        options=options,
    )
