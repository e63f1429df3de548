"""The checkout pages, from cart to confirmation, without JavaScript."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from shop.accounts.models import Address
from shop.accounts.tests.factories import AddressFactory
from shop.cart.storage import CartRef, stored_items
from shop.catalog.models import Variant
from shop.catalog.tests.factories import VariantFactory
from shop.orders.models import Order

GUEST = {"email": "guest@example.com", "name": "張小華", "phone": "0912-000-111"}
ADDRESS = {
    "recipient_name": "張小華",
    "phone": "0912-000-111",
    "postal_code": "40041",
    "city": "臺中市",
    "district": "西區",
    "street": "英才路 100 號",
}
STORE = {"store_code": "131386", "store_name": "復興門市"}
# 480 + 350 = 830: under every free-shipping threshold.
FEES = {"home": 100, "cvs-711": 60, "cvs-family": 60, "store": 0}


@pytest.fixture
def items(db):
    return [
        VariantFactory(
            price=Decimal("480"), stock=5, sku="BEAN", product__title="耶加雪菲"
        ),
        VariantFactory(
            price=Decimal("350"), stock=5, sku="DRIP", product__title="濾掛包"
        ),
    ]


def fill_cart(client, variants):
    for variant in variants:
        assert client.post("/cart/add/", {"variant": variant.pk}).status_code == 302


def review_key(client) -> str:
    response = client.get("/checkout/review/")
    assert response.status_code == 200, response.get("Location")
    return response.context["form"]["idempotency_key"].value()


def check_out(client, method, payment, contact=GUEST):
    response = client.post(
        "/checkout/", {**contact, "shipping_method": method, "payment_method": payment}
    )
    assert response.status_code == 302, response.context["form"].errors
    if method == "home":
        assert response.url == "/checkout/delivery/"
        response = client.post("/checkout/delivery/", ADDRESS)
        assert response.status_code == 302, response.context["form"].errors
    elif method.startswith("cvs"):
        assert response.url == "/checkout/delivery/"
        response = client.post("/checkout/delivery/", STORE)
        assert response.status_code == 302, response.context["form"].errors
    assert response.url == "/checkout/review/"
    key = review_key(client)
    return client.post("/checkout/review/", {"idempotency_key": key}), key


@pytest.mark.parametrize("payment", ["cod", "atm", "card"])
@pytest.mark.parametrize("method", ["home", "cvs-711", "cvs-family", "store"])
def test_every_shipping_and_payment_method_places_an_order(
    client, shipping_methods, items, method, payment, django_capture_on_commit_callbacks
):
    fill_cart(client, items)
    with django_capture_on_commit_callbacks(execute=True):
        response, _key = check_out(client, method, payment)

    order = Order.objects.get()
    total = Decimal(830 + FEES[method])
    assert (order.subtotal, order.shipping_total, order.total) == (
        Decimal("830"),
        Decimal(FEES[method]),
        total,
    )
    assert [
        (line.sku, line.quantity, line.unit_price) for line in order.lines.all()
    ] == [
        ("BEAN", 1, Decimal("480")),
        ("DRIP", 1, Decimal("350")),
    ]
    assert (order.email, order.customer_name, order.phone) == (
        "guest@example.com",
        "張小華",
        "+886912000111",
    )
    assert order.shipping_method_code == method
    assert order.payments.get().amount == total
    assert dict(Variant.objects.values_list("sku", "stock")) == {"BEAN": 4, "DRIP": 4}
    assert stored_items(CartRef(session=client.session)) == {}
    if method == "home":
        assert (order.city, order.district, order.postal_code) == (
            "臺中市",
            "西區",
            "40041",
        )
    if method.startswith("cvs"):
        assert (order.pickup_store_code, order.pickup_store_name) == (
            "131386",
            "復興門市",
        )

    if payment == "card":
        sandbox = response.url
        assert sandbox.startswith("/checkout/sandbox/pay/")
        assert order.status == "pending_payment"
        page = client.get(sandbox)
        assert page.status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(sandbox, {"outcome": "paid"})
        order.refresh_from_db()
        assert order.status == "paid"
        assert order.payments.get().status == "paid"
        assert any("Payment received" in m.subject for m in mail.outbox)
    assert response.url == f"/checkout/done/{order.number}/"

    done = client.get(response.url)
    assert done.status_code == 200
    html = done.content.decode()
    assert order.number in html
    if payment == "cod":
        assert order.status == "processing"
        assert "in cash" in html or "when you pick up" in html
    elif payment == "atm":
        assert order.status == "pending_payment"
        assert "2888-1000-123456" in html and f"NT${total:,.0f}" in html
    else:
        assert "Your payment has been received." in html


def test_double_submit_of_the_review_form_returns_the_same_order(
    client, shipping_methods, items
):
    fill_cart(client, items)
    response, key = check_out(client, "store", "cod")
    again = client.post("/checkout/review/", {"idempotency_key": key})
    assert again.url == response.url
    assert Order.objects.count() == 1


def test_step_one_shows_field_errors(client, shipping_methods, items):
    fill_cart(client, items)
    response = client.post(
        "/checkout/",
        {
            "email": "nope",
            "name": "",
            "phone": "123",
            "shipping_method": "x",
            "payment_method": "y",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {
        "email": ["Enter a valid email address."],
        "name": ["This field is required."],
        "shipping_method": [
            "Select a valid choice. That choice is not one of the available choices."
        ],
        "payment_method": [
            "Select a valid choice. y is not one of the available choices."
        ],
    }
    response = client.post(
        "/checkout/",
        {**GUEST, "phone": "12345", "shipping_method": "home", "payment_method": "cod"},
    )
    assert response.context["form"].errors == {
        "phone": ["Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678."]
    }


def test_delivery_step_shows_address_and_store_errors(client, shipping_methods, items):
    fill_cart(client, items)
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "home", "payment_method": "cod"}
    )
    response = client.post(
        "/checkout/delivery/", {**ADDRESS, "postal_code": "12", "street": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"street": ["This field is required."]}
    response = client.post("/checkout/delivery/", {**ADDRESS, "postal_code": "12"})
    assert response.context["form"].errors == {
        "postal_code": [
            "Enter a Taiwan postal code of 3, 5 or 6 digits, e.g. 106 or 106024."
        ]
    }
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "cvs-711", "payment_method": "cod"}
    )
    response = client.post(
        "/checkout/delivery/", {"store_code": "12 3", "store_name": ""}
    )
    assert response.context["form"].errors == {
        "store_name": ["This field is required."]
    }
    response = client.post(
        "/checkout/delivery/", {"store_code": "12 3", "store_name": "店"}
    )
    assert response.context["form"].errors == {
        "store_code": [
            "Enter the store number as shown by the store finder, e.g. 131386."
        ]
    }


def test_steps_send_the_shopper_back_when_something_is_missing(
    client, shipping_methods, items
):
    response = client.get("/checkout/", follow=True)
    assert response.redirect_chain == [("/cart/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Your cart is empty."]
    fill_cart(client, items)
    assert client.get("/checkout/review/").url == "/checkout/"
    assert client.get("/checkout/delivery/").url == "/checkout/"
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "home", "payment_method": "cod"}
    )
    response = client.get("/checkout/review/", follow=True)
    assert response.redirect_chain == [("/checkout/delivery/", 302)]


def test_stock_gone_between_review_and_placing_goes_back_to_the_cart(
    client, shipping_methods, items
):
    fill_cart(client, items)
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "store", "payment_method": "cod"}
    )
    key = review_key(client)
    Variant.objects.filter(sku="DRIP").update(stock=0)
    response = client.post("/checkout/review/", {"idempotency_key": key}, follow=True)
    assert response.redirect_chain == [("/cart/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Please fix the items marked in your cart first."
    ]
    assert not Order.objects.exists()


def test_the_order_is_placed_only_for_the_total_on_the_button(
    client, shipping_methods, items
):
    fill_cart(client, items[:1])
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "store", "payment_method": "cod"}
    )
    page = client.get("/checkout/review/")
    form = page.context["form"]
    key, total = form["idempotency_key"].value(), form["total"].value()
    assert total == Decimal("480")
    assert "Place order and pay NT$480" in page.content.decode()
    # Another tab adds an item (or the merchant reprices) before the submit.
    fill_cart(client, items[1:])
    response = client.post(
        "/checkout/review/", {"idempotency_key": key, "total": total}, follow=True
    )
    assert response.redirect_chain == [("/checkout/review/", 302)]
    assert [str(m) for m in response.context["messages"]][-1] == (
        "Your order has changed since you reviewed it. "
        "Please check the total and place it again."
    )
    assert not Order.objects.exists()
    # Placed for the total shown now.
    form = response.context["form"]
    assert form["total"].value() == Decimal("830")
    response = client.post(
        "/checkout/review/",
        {"idempotency_key": form["idempotency_key"].value(), "total": "830"},
    )
    assert response.status_code == 302
    assert Order.objects.get().total == Decimal("830")


def test_member_picks_an_address_from_the_book_or_adds_one(
    client, shipping_methods, items, member
):
    book = AddressFactory(
        user=member, is_default=True, city="高雄市", postal_code="800"
    )
    client.force_login(member)
    fill_cart(client, items)
    page = client.get("/checkout/")
    assert page.context["form"].initial["name"] == "林小美"
    assert "email" not in page.context["form"].fields
    response = client.post(
        "/checkout/",
        {
            "name": "林小美",
            "phone": "0912345678",
            "shipping_method": "home",
            "payment_method": "cod",
        },
    )
    assert response.url == "/checkout/delivery/"
    page = client.get("/checkout/delivery/")
    assert [
        value for value, _label in page.context["form"].fields["address"].choices
    ] == [
        str(book.pk),
        "new",
    ]
    response = client.post("/checkout/delivery/", {"address": "new", **ADDRESS})
    assert response.url == "/checkout/review/"
    assert Address.objects.filter(user=member).count() == 2
    response = client.post("/checkout/delivery/", {"address": str(book.pk)})
    assert response.url == "/checkout/review/"
    key = review_key(client)
    response = client.post("/checkout/review/", {"idempotency_key": key})
    order = Order.objects.get()
    assert (order.user, order.email, order.city, order.postal_code) == (
        member,
        "member@example.com",
        "高雄市",
        "800",
    )
    done = client.get(response.url)
    assert order.get_absolute_url() in done.content.decode()


def test_the_confirmation_is_only_for_its_buyer(
    client, shipping_methods, items, member
):
    fill_cart(client, items)
    response, _key = check_out(client, "store", "cod")
    assert client.get(response.url).status_code == 200
    from django.test import Client

    stranger = Client()
    assert stranger.get(response.url).status_code == 404
    stranger.force_login(member)
    assert stranger.get(response.url).status_code == 404


def test_the_confirmation_asks_for_the_total_in_the_orders_currency(
    client, shipping_methods, db
):
    variant = VariantFactory(price=Decimal("12.50"), currency="USD", stock=5)
    fill_cart(client, [variant])
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "store", "payment_method": "card"}
    )
    client.post("/checkout/review/", {"idempotency_key": review_key(client)})
    order = Order.objects.get()
    assert (order.currency, order.total) == ("USD", Decimal("12.50"))
    body = client.get(f"/checkout/done/{order.number}/").content.decode()
    assert "Please pay US$12.50 by Credit card to confirm it." in body


def test_review_shows_the_return_policy_and_a_fresh_key(
    client, shipping_methods, items
):
    fill_cart(client, items)
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "store", "payment_method": "atm"}
    )
    first = client.get("/checkout/review/")
    html = first.content.decode()
    assert "You may return any item within 7 days" in html
    assert "Place order and pay NT$830" in html
    assert re.search(r'name="idempotency_key" value="[\w-]{32}"', html)
    assert review_key(client) != first.context["form"]["idempotency_key"].value()


def test_a_failed_card_payment_can_be_retried(
    client, shipping_methods, items, django_capture_on_commit_callbacks
):
    fill_cart(client, items)
    response, _key = check_out(client, "store", "card")
    sandbox = response.url
    response = client.post(sandbox, {"outcome": "failed"}, follow=True)
    order = Order.objects.get()
    payment = order.payments.get()
    assert (order.status, payment.status) == ("pending_payment", "failed")
    assert "Your last payment attempt failed." in response.content.decode()
    retry = client.post(f"/checkout/pay/{order.number}/")
    assert retry.url.startswith("/checkout/sandbox/pay/")
    payment.refresh_from_db()
    assert payment.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry.url, {"outcome": "paid"})
    order.refresh_from_db()
    assert order.status == "paid"
    assert order.payments.count() == 1
    page = client.get(retry.url)
    assert "This payment is no longer waiting." in page.content.decode()
    assert client.get("/checkout/sandbox/pay/forged/").status_code == 404


def test_sold_out_while_placing_goes_back_to_the_cart_with_the_reason(
    client, shipping_methods, items, monkeypatch
):
    from shop.catalog.stock import OutOfStock
    from shop.checkout import services

    def sold_out(*, items, **kwargs):
        raise OutOfStock(Variant.objects.select_related("product").get(sku="DRIP"), 0)

    fill_cart(client, items)
    client.post(
        "/checkout/", {**GUEST, "shipping_method": "store", "payment_method": "cod"}
    )
    key = review_key(client)
    monkeypatch.setattr(services, "stock_take", sold_out)
    response = client.post("/checkout/review/", {"idempotency_key": key}, follow=True)
    assert response.redirect_chain == [("/cart/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "濾掛包 has just sold out."
    ]
    assert not Order.objects.exists()
    assert stored_items(CartRef(session=client.session)) != {}
