from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shop.accounts.tests.factories import UserFactory
from shop.catalog.tests.factories import VariantFactory
from shop.orders import services
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db

LIST = "/api/me/orders/"


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def member(api):
    user = UserFactory()
    api.force_authenticate(user)
    return user


def test_anonymous_gets_401(api):
    assert api.get(LIST).status_code == 401
    assert api.get(f"{LIST}ANY/").status_code == 401


def test_list_is_mine_paginated_newest_first(api, member):
    variant = VariantFactory(stock=100)
    old = order_with_lines(user=member, items=[(variant, 2)], number="261101AAAAA")
    new = order_with_lines(user=member, items=[(variant, 1)], number="261102BBBBB")
    new.placed_at = old.placed_at.replace(year=old.placed_at.year + 1)
    new.save()
    order_with_lines(user=UserFactory(), items=[(variant, 1)], number="261103CCCCC")

    response = api.get(LIST, {"page_size": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"].endswith("page=2&page_size=1")
    [first] = body["results"]
    assert first == {
        "number": "261102BBBBB",
        "status": "pending_payment",
        "status_display": "Pending payment",
        "payment_status": "pending",
        "placed_at": first["placed_at"],
        "item_count": 1,
        "currency": "TWD",
        "total": "1360",
        "total_display": "NT$1,360",
        "url": "http://testserver/account/orders/261102BBBBB/",
    }


def test_list_query_count_is_constant(api, member):
    variant = VariantFactory(stock=100)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(LIST).status_code == 200
        return len(captured)

    for _ in range(3):
        order_with_lines(user=member, items=[(variant, 1)])
    with_three = queries()
    order_with_lines(user=member, items=[(variant, 1)])

    assert queries() == with_three


def test_bad_page_is_a_400(api, member):
    response = api.get(LIST, {"page": "0"})

    assert response.status_code == 400
    assert list(response.json()) == ["page"]


def test_detail(api, member):
    order = order_with_lines(user=member, discount=Decimal("100"))
    services.order_mark_paid(order=order)
    services.order_ship(order=order, carrier="T-Cat", tracking_number="9012")

    response = api.get(f"{LIST}{order.number}/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number
    assert body["status"] == "shipped"
    assert [
        (line["quantity"], line["subtotal"], line["adjustments"], line["net"])
        for line in body["lines"]
    ] == [(2, "2560", "-100", "2460"), (1, "450", "0", "450")]
    assert body["adjustments"] == [
        {"label": "新會員折扣", "kind": "discount", "amount": "-100"},
        {"label": "運費（宅配）", "kind": "shipping", "amount": "80"},
    ]
    assert (body["subtotal"], body["discount_total"], body["shipping_total"]) == (
        "3010",
        "-100",
        "80",
    )
    assert (body["total"], body["total_display"]) == ("2990", "NT$2,990")
    assert body["shipping"]["carrier"] == "T-Cat"
    assert body["shipping"]["tracking_number"] == "9012"
    assert body["shipping"]["address"] == "106 臺北市 大安區 復興南路一段1號"
    assert body["payment"]["status"] == "paid"
    assert body["payment"]["method_display"] == "ATM / bank transfer"
    assert [entry["label"] for entry in body["timeline"]] == [
        "Order placed",
        "Paid",
        "Processing",
        "Shipped",
    ]
    assert body["timeline"][-1]["note"] == "T-Cat 9012"


def test_another_members_order_is_a_404(api, member):
    order = order_with_lines(user=UserFactory())

    response = api.get(f"{LIST}{order.number}/")

    assert response.status_code == 404
    assert api.get(f"{LIST}NOSUCH/").status_code == 404


def test_schema_documents_the_order_endpoints(api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/me/orders/" in paths
    assert "/api/me/orders/{number}/" in paths
