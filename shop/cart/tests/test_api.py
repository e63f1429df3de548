from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from shop.cart.models import CartLine
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.models import ShippingMethod


@pytest.fixture
def variant(db):
    return VariantFactory(
        price=Decimal("480"),
        stock=3,
        sku="BEAN",
        option1="半磅",
        product__title="耶加雪菲",
    )


def test_guest_cart_lives_in_the_session(api_client, variant):
    response = api_client.post(
        "/api/cart/lines/", {"variant": variant.pk, "quantity": 2}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["item_count"] == 2
    assert body["can_check_out"] is True
    (line,) = body["lines"]
    assert {
        k: line[k] for k in ("variant", "sku", "product_title", "options", "quantity")
    } == {
        "variant": variant.pk,
        "sku": "BEAN",
        "product_title": "耶加雪菲",
        "options": "半磅",
        "quantity": 2,
    }
    assert (line["unit_price"], line["subtotal"], line["problem"]) == ("480", "960", "")
    assert body["quote"]["total"] == "960"
    assert api_client.get("/api/cart/").json()["item_count"] == 2
    assert not CartLine.objects.exists()


def test_member_cart_with_token_and_quote_with_shipping(api_client, variant, member):
    ShippingMethod.objects.update_or_create(
        code="home",
        defaults={
            "name": "宅配",
            "kind": "home",
            "fee": Decimal("100"),
            "free_shipping_threshold": Decimal("1500"),
        },
    )
    token = Token.objects.create(user=member)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.post("/api/cart/lines/", {"variant": variant.pk}, format="json")
    assert CartLine.objects.get(cart__user=member).quantity == 1
    body = api_client.get("/api/cart/?shipping=home").json()
    assert body["quote"]["adjustments"] == [
        {
            "code": "shipping",
            "label": "Shipping (宅配)",
            "kind": "shipping",
            "amount": "100",
            "allocations": [],
        }
    ]
    assert (body["quote"]["subtotal"], body["quote"]["total"]) == ("480", "580")
    assert body["quote"]["notes"] == [
        "Spend NT$1,020 more for free shipping with 宅配."
    ]
    response = api_client.get("/api/cart/?shipping=nope")
    assert (response.status_code, response.json()) == (
        400,
        {"shipping": ["Choose a shipping method from the list."]},
    )


def test_patch_and_delete_lines(api_client, variant):
    api_client.post("/api/cart/lines/", {"variant": variant.pk})
    response = api_client.patch(
        f"/api/cart/lines/{variant.pk}/", {"quantity": 3}, format="json"
    )
    assert (response.status_code, response.json()["item_count"]) == (200, 3)
    response = api_client.patch(
        f"/api/cart/lines/{variant.pk}/", {"quantity": 4}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"quantity": ["Only 3 left of 耶加雪菲 半磅."]},
    )
    assert api_client.delete(f"/api/cart/lines/{variant.pk}/").status_code == 204
    assert api_client.get("/api/cart/").json()["lines"] == []
    api_client.post("/api/cart/lines/", {"variant": variant.pk})
    assert api_client.delete("/api/cart/").status_code == 204
    assert api_client.get("/api/cart/").json()["item_count"] == 0


def test_field_level_errors(api_client, variant):
    response = api_client.post("/api/cart/lines/", {"quantity": 0})
    assert response.status_code == 400
    assert response.json() == {
        "variant": ["This field is required."],
        "quantity": ["Ensure this value is greater than or equal to 1."],
    }
    response = api_client.post("/api/cart/lines/", {"variant": 999999})
    assert response.json() == {
        "variant": ["Sorry, this product is no longer available."]
    }
    response = api_client.patch(
        "/api/cart/lines/999999/", {"quantity": 1}, format="json"
    )
    assert response.json() == {"variant": ["This item is not in your cart."]}
