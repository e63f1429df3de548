"""Building blocks for placing orders in tests."""

import secrets

from shop.checkout.details import Contact, shipping_validate
from shop.checkout.services import order_place

CONTACT = Contact(email="buyer@example.com", name="陳大文", phone="+886912345678")
HOME_ADDRESS = {
    "recipient_name": "陳大文",
    "recipient_phone": "0912-345-678",
    "postal_code": "106",
    "city": "台北市",
    "district": "大安區",
    "street": "復興南路一段 390 號 5 樓",
}
STORE = {"store_code": "131386", "store_name": "復興門市"}


def shipping_for(method, contact=CONTACT):
    values = {}
    if method.needs_address:
        values = HOME_ADDRESS
    elif method.needs_store:
        values = STORE
    return shipping_validate(method=method, contact=contact, **values)


def new_key() -> str:
    return secrets.token_urlsafe(24)


def place(*, shopper, items, method, payment_method="cod", key=None, **kwargs):
    return order_place(
        shopper=shopper,
        items=items,
        contact=kwargs.pop("contact", CONTACT),
        shipping=shipping_for(method),
        payment_method=payment_method,
        idempotency_key=key or new_key(),
        **kwargs,
    )
