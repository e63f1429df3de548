from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from shop.accounts.tests.factories import AddressFactory
from shop.catalog.models import Variant
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.tests.helpers import new_key
from shop.orders.models import Order

ORDER = {
    "email": "app@example.com",
    "name": "王大明",
    "phone": "0912345678",
    "shipping_method": "home",
    "recipient_name": "王大明",
    "postal_code": "106",
    "city": "台北市",
    "district": "大安區",
    "street": "忠孝東路四段 1 號",
    "payment_method": "cod",
}


@pytest.fixture
def variants(db):
    return [
        VariantFactory(price=Decimal("400"), stock=5, sku="A"),
        VariantFactory(price=Decimal("300"), stock=5, sku="B"),
        VariantFactory(price=Decimal("300"), stock=5, sku="C"),
    ]


def items_of(variants):
    return [{"variant": v.pk, "quantity": 1} for v in variants]


def test_quote_for_items_and_for_the_cart(api_client, shipping_methods, variants):
    response = api_client.post(
        "/api/checkout/quote/",
        {"items": items_of(variants), "shipping_method": "cvs-711"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert [
        (line["sku"], line["unit_price"], line["subtotal"]) for line in body["lines"]
    ] == [
        ("A", "400", "400"),
        ("B", "300", "300"),
        ("C", "300", "300"),
    ]
    assert (body["subtotal"], body["shipping_total"], body["total"]) == (
        "1000",
        "0",
        "1000",
    )
    api_client.post("/api/cart/lines/", {"variant": variants[0].pk})
    body = api_client.post(
        "/api/checkout/quote/", {"shipping_method": "home"}, format="json"
    ).json()
    assert (body["subtotal"], body["total"]) == ("400", "500")
    response = api_client.post(
        "/api/checkout/quote/", {"shipping_method": "teleport"}, format="json"
    )
    assert response.json() == {
        "shipping_method": ["Choose a shipping method from the list."]
    }


def test_quote_shows_allocations_of_order_level_adjustments(
    settings, api_client, shipping_methods, variants
):
    settings.CHECKOUT_ADJUSTERS = [
        "shop.checkout.tests.test_pricing.HundredOffAdjuster",
        "shop.checkout.adjusters.ShippingFeeAdjuster",
    ]
    body = api_client.post(
        "/api/checkout/quote/", {"items": items_of(variants)}, format="json"
    ).json()
    (discount,) = body["adjustments"]
    assert discount["allocations"] == [
        {"variant": variants[0].pk, "amount": "-40"},
        {"variant": variants[1].pk, "amount": "-30"},
        {"variant": variants[2].pk, "amount": "-30"},
    ]
    assert (body["discount_total"], body["total"]) == ("-100", "900")


def test_place_an_order_with_the_idempotency_header(
    api_client, shipping_methods, variants
):
    key = new_key()
    response = api_client.post(
        "/api/checkout/orders/",
        {**ORDER, "items": items_of(variants)},
        format="json",
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get()
    assert body["number"] == order.number
    assert (
        body["status"],
        body["subtotal"],
        body["shipping_total"],
        body["total"],
    ) == (
        "processing",
        "1000",
        "100",
        "1100",
    )
    assert [
        (line["sku"], line["quantity"], line["subtotal"]) for line in body["lines"]
    ] == [
        ("A", 1, "400"),
        ("B", 1, "300"),
        ("C", 1, "300"),
    ]
    assert body["payment"]["method"] == "cod"
    assert (
        body["payment"]["message"]
        == "Please pay NT$1,100 in cash when your parcel is delivered."
    )
    assert (
        body["confirmation_url"] == f"http://testserver/checkout/done/{order.number}/"
    )

    again = api_client.post(
        "/api/checkout/orders/",
        {**ORDER, "items": items_of(variants)},
        format="json",
        headers={"Idempotency-Key": key},
    )
    assert again.status_code == 200
    assert again.json()["number"] == order.number
    assert Order.objects.count() == 1
    assert list(Variant.objects.order_by("sku").values_list("stock", flat=True)) == [
        4,
        4,
        4,
    ]


def test_card_orders_get_the_provider_page(api_client, shipping_methods, variants):
    response = api_client.post(
        "/api/checkout/orders/",
        {
            **ORDER,
            "items": items_of(variants[:1]),
            "payment_method": "card",
            "idempotency_key": new_key(),
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["payment"]["redirect_url"].startswith(
        "http://testserver/checkout/sandbox/pay/"
    )


def test_errors_name_the_body_fields(api_client, shipping_methods, variants):
    def post(**changes):
        body = {
            **ORDER,
            "items": items_of(variants),
            "idempotency_key": new_key(),
            **changes,
        }
        return api_client.post("/api/checkout/orders/", body, format="json")

    assert post(email="x").json() == {"email": ["Enter a valid email address."]}
    assert post(city="大阪").json() == {
        "city": ["Choose a city or county from the list."]
    }
    assert post(shipping_method="x").json() == {
        "shipping_method": ["Choose a shipping method from the list."]
    }
    assert post(payment_method="x").json() == {
        "payment_method": ["Choose a payment method from the list."]
    }
    assert post(idempotency_key="tiny").json() == {
        "idempotency_key": [
            "The checkout form has expired. Please review your order and try again."
        ]
    }
    assert post(items=[]).json() == {"items": ["Your cart is empty."]}
    Variant.objects.filter(sku="B").update(stock=0)
    response = post()
    assert (response.status_code, response.json()) == (
        400,
        {"items": [f"{variants[1]} has just sold out."]},
    )
    assert post(items=[{"variant": "x"}]).status_code == 400
    assert not Order.objects.exists()


def test_members_order_from_their_cart_and_address_book(
    api_client, shipping_methods, variants, member
):
    address = AddressFactory(user=member, is_default=True)
    other = AddressFactory()
    token = Token.objects.create(user=member)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.post("/api/cart/lines/", {"variant": variants[0].pk, "quantity": 2})
    body = {
        "shipping_method": "home",
        "payment_method": "atm",
        "idempotency_key": new_key(),
    }

    refused = api_client.post(
        "/api/checkout/orders/", {**body, "address_id": other.pk}, format="json"
    )
    assert refused.json() == {"address_id": ["Choose an address of your book."]}
    beyond = api_client.post(
        "/api/checkout/orders/", {**body, "address_id": 10**20}, format="json"
    )
    assert beyond.status_code == 400
    assert list(beyond.json()) == ["address_id"]

    response = api_client.post(
        "/api/checkout/orders/", {**body, "address_id": address.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    assert (order.user, order.email, order.customer_name, order.street) == (
        member,
        "member@example.com",
        "林小美",
        address.street,
    )
    payment = response.json()["payment"]
    assert payment["instructions"][1] == {
        "label": "Account number",
        "value": "2888-1000-123456",
    }
    assert api_client.get("/api/cart/").json()["item_count"] == 0


def test_shipping_and_payment_method_lists(api_client, shipping_methods):
    shipping = api_client.get("/api/shipping-methods/").json()
    assert shipping["count"] == 4
    assert shipping["results"][0] == {
        "code": "home",
        "name": "宅配到府",
        "kind": "home",
        "description": "宅配到府說明",
        "fee": "100",
        "free_shipping_threshold": "1500",
        "needs_address": True,
        "needs_store": False,
    }
    assert shipping["results"][3]["free_shipping_threshold"] is None
    payment = api_client.get("/api/payment-methods/").json()
    assert [(p["code"], p["label"], p["redirects"]) for p in payment["results"]] == [
        ("cod", "Cash on delivery", False),
        ("atm", "ATM / bank transfer", False),
        ("card", "Credit card", True),
    ]
