"""Paying part of an order with points at checkout: the review page and the API."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from loyalty.models import PointsDraw, PointsEntry
from loyalty.services import points
from loyalty.tests.checkout_support import (
    DETAILS,
    messages_of,
    review_page_reach,
    review_place,
)
from loyalty.tests.points_support import (
    assert_consistent,
    balances,
    member,
    programme_set,
    variant,
)
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.checkout.tests.helpers import new_key
from shop.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper_with_points(client, shipping_methods):  # noqa: F811
    user = member(email="points@example.com", name="林小美")
    points.points_adjust(user=user, points=530, reason="Welcome", actor=None)
    review_page_reach(client, user, variant("1000", stock=5))
    return user


def test_the_review_page_offers_points(client, shopper_with_points):
    page = client.get("/checkout/review/")
    html = page.content.decode()
    assert "Pay with points" in html
    assert 'action="/checkout/option/"' in html
    assert "of 530 available, up to 200 on this order" in html
    assert 'name="value" value="200" min="1" max="200"' in html
    assert page.context["quote"].total.amount == Decimal("1000")


def test_a_member_pays_part_of_an_order_with_points(client, shopper_with_points):
    user = shopper_with_points
    response = client.post("/checkout/option/", {"option": "points", "value": "100"})
    assert response.status_code == 302 and response.url == "/checkout/review/"
    assert messages_of(response) == ["Your order has been updated."]

    page = client.get("/checkout/review/")
    html = page.content.decode()
    assert "Paid with 100 points" in html
    assert "100 points pay NT$100 of this order." in html
    assert "Remove points" in html
    assert "Place order and pay NT$900" in html

    response = review_place(client)
    assert response.status_code == 302

    order = Order.objects.get()
    assert (order.subtotal, order.total) == (Decimal("1000"), Decimal("900"))
    assert list(order.adjustments.values_list("code", "kind", "amount", "data")) == [
        ("shipping", "shipping", Decimal("0"), {"method": "store"}),
        ("points", "tender", Decimal("-100"), {"points": 100, "point_value": "1.00"}),
    ]
    [allocation] = order.adjustments.get(code="points").allocations.all()
    assert allocation.amount == Decimal("-100")
    assert order.payments.get().amount == Decimal("900")
    redeem = PointsEntry.objects.get(kind="redeem")
    assert (redeem.points, redeem.order_id) == (-100, order.pk)
    assert list(PointsDraw.objects.values_list("points", flat=True)) == [100]
    assert balances(user) == (430, 0)
    # The options went with the checkout.
    assert "options" not in client.session.get("checkout", {})
    assert_consistent()


def test_asking_for_too_many_points_shows_why_and_keeps_nothing(
    client, shopper_with_points
):
    response = client.post("/checkout/option/", {"option": "points", "value": "250"})
    assert response.url == "/checkout/review/"
    assert messages_of(response) == ["You can use at most 200 points on this order."]
    assert client.session["checkout"].get("options", {}) == {}

    response = client.post("/checkout/option/", {"option": "points", "value": "lots"})
    assert messages_of(response)[-1] == "Enter a whole number of points."
    page = client.get("/checkout/review/")
    assert page.context["quote"].total.amount == Decimal("1000")


def test_an_unknown_option_is_refused(client, shopper_with_points):
    response = client.post("/checkout/option/", {"option": "gift_wrap", "value": "X"})
    assert messages_of(response) == ["That choice is not available for this order."]
    assert client.session["checkout"].get("options", {}) == {}


def test_points_can_be_taken_off_again(client, shopper_with_points):
    client.post("/checkout/option/", {"option": "points", "value": "100"})
    response = client.post("/checkout/option/", {"option": "points", "remove": "1"})
    assert messages_of(response) == ["Your order has been updated."] * 2
    page = client.get("/checkout/review/")
    assert page.context["quote"].total.amount == Decimal("1000")
    assert "Paid with" not in page.content.decode()


def test_points_spent_elsewhere_meanwhile_stop_the_order_not_the_page(
    client, shopper_with_points
):
    user = shopper_with_points
    client.post("/checkout/option/", {"option": "points", "value": "100"})
    page = client.get("/checkout/review/")
    form = page.context["form"]
    # Another tab (or the shop) spends the points before the order is placed.
    points.points_adjust(user=user, points=-480, reason="Spent in store", actor=None)

    response = client.post(
        "/checkout/review/",
        {
            "idempotency_key": form["idempotency_key"].value(),
            "total": form["total"].value(),
        },
    )

    assert response.status_code == 302 and response.url == "/checkout/review/"
    assert messages_of(response) == ["You have only 50 points available."]
    assert Order.objects.count() == 0
    assert balances(user) == (50, 0)
    # The choice was dropped: the page shows the order without points.
    page = client.get("/checkout/review/")
    assert page.status_code == 200
    assert page.context["quote"].total.amount == Decimal("1000")
    assert_consistent()


@pytest.mark.ledger_left_inconsistent
def test_placement_rechecks_the_balance_under_the_lock(
    client, shopper_with_points, monkeypatch
):
    """The page priced with a stale balance: the receiver's check stops it."""
    user = shopper_with_points
    client.post("/checkout/option/", {"option": "points", "value": "100"})
    page = client.get("/checkout/review/")
    form = page.context["form"]
    from loyalty.models import Membership

    # Only the lots know the points are gone (e.g. spent by a racing order).
    monkeypatch.setattr(
        "loyalty.adjusters.shopper_membership",
        lambda shopper, *fields: Membership.objects.get(user=shopper.user),
    )
    points.points_adjust(user=user, points=-480, reason="Spent in store", actor=None)
    Membership.objects.filter(user=user).update(points_available=530)
    response = client.post(
        "/checkout/review/",
        {
            "idempotency_key": form["idempotency_key"].value(),
            "total": form["total"].value(),
        },
    )
    assert messages_of(response) == ["You have only 50 points available."]
    assert Order.objects.count() == 0
    assert PointsEntry.objects.filter(kind="redeem").count() == 0


# --- API -----------------------------------------------------------------------


@pytest.fixture
def api_member(shipping_methods):  # noqa: F811
    user = member(email="app@example.com", name="王大明", phone="+886912345678")
    points.points_adjust(user=user, points=530, reason="Welcome", actor=None)
    api = APIClient(headers={"Accept-Language": "en"})
    api.force_authenticate(user)
    return user, api


def test_the_quote_api_prices_points_and_shows_the_offer(api_member):
    _user, api = api_member
    item = variant("1000")
    body = {"items": [{"variant": item.pk, "quantity": 1}], "shipping_method": "store"}

    response = api.post("/api/checkout/quote/", body, format="json")
    assert response.status_code == 200, response.data
    assert response.data["offers"] == [
        {
            "key": "points",
            "context": {
                "available": 530,
                "min_points": 1,
                "max_points": 200,
                "usable": True,
                "reason": "",
                "point_value": "1.00",
                "applied": 0,
                "applied_amount": "0",
                "currency": "TWD",
            },
        }
    ]

    response = api.post("/api/checkout/quote/", {**body, "points": 150}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["total"] == "850"
    assert response.data["tender_total"] == "-150"
    assert response.data["adjustments"][-1] == {
        "code": "points",
        "label": "Paid with 150 points",
        "kind": "tender",
        "amount": "-150",
        "allocations": [{"variant": item.pk, "amount": "-150"}],
    }
    same = api.post(
        "/api/checkout/quote/",
        {**body, "options": {"points": "150"}},
        format="json",
    )
    assert same.data["total"] == "850"


TOO_MANY = "You can use at most 200 points on this order."
NOT_A_DICT = 'Expected a dictionary of items but got type "list".'


@pytest.mark.parametrize(
    ("extra", "errors"),
    [
        ({"points": 201}, {"points": [TOO_MANY]}),
        (
            {"points": -1},
            {"points": ["Ensure this value is greater than or equal to 0."]},
        ),
        ({"options": {"points": "x"}}, {"points": ["Enter a whole number of points."]}),
        ({"options": ["points"]}, {"options": [NOT_A_DICT]}),
    ],
)
def test_the_quote_api_names_the_field_in_error(api_member, extra, errors):
    _user, api = api_member
    item = variant("1000")
    body = {"items": [{"variant": item.pk, "quantity": 1}], "shipping_method": "store"}
    response = api.post("/api/checkout/quote/", {**body, **extra}, format="json")
    assert response.status_code == 400
    assert response.data == errors


def test_an_order_placed_through_the_api_pays_with_points(api_member):
    user, api = api_member
    item = variant("1000")
    body = {
        "items": [{"variant": item.pk, "quantity": 1}],
        "shipping_method": "store",
        "payment_method": "atm",
        "points": 100,
    }
    response = api.post(
        "/api/checkout/orders/",
        body,
        format="json",
        headers={"Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.data
    assert response.data["total"] == "900"
    assert response.data["adjustments"][-1]["code"] == "points"
    assert balances(user) == (430, 0)
    order = Order.objects.get()
    assert PointsEntry.objects.get(kind="redeem").order_id == order.pk

    too_many = api.post(
        "/api/checkout/orders/",
        {**body, "points": 431},
        format="json",
        headers={"Idempotency-Key": new_key()},
    )
    assert too_many.status_code == 400
    assert too_many.data == {"points": ["You have only 430 points available."]}
    assert Order.objects.count() == 1
    assert_consistent()


def test_guests_cannot_pay_with_points_through_the_api(shipping_methods):  # noqa: F811
    api = APIClient(headers={"Accept-Language": "en"})
    item = variant("1000")
    response = api.post(
        "/api/checkout/quote/",
        {
            "items": [{"variant": item.pk, "quantity": 1}],
            "shipping_method": "store",
            "points": 10,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data == {"points": ["Log in to pay with points."]}


def test_a_minimum_order_applies_at_checkout(api_member):
    programme_set(redeem_min_order=Decimal("2000"))
    _user, api = api_member
    item = variant("1000")
    response = api.post(
        "/api/checkout/quote/",
        {
            "items": [{"variant": item.pk, "quantity": 1}],
            "shipping_method": "store",
            "points": 10,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data == {
        "points": ["Points can be used on orders of NT$2,000 or more."]
    }


def test_the_review_page_says_why_points_cannot_be_used(client, shopper_with_points):
    programme_set(redeem_min_order=Decimal("2000"))
    html = client.get("/checkout/review/").content.decode()
    assert (
        "You have 530 points. Points can be used on orders of NT$2,000 or more."
    ) in html
    assert 'action="/checkout/option/"' not in html


def test_guests_see_no_points_offer(client, shipping_methods):  # noqa: F811
    item = variant("1000", stock=5)
    client.post("/cart/add/", {"variant": item.pk})
    client.post(
        "/checkout/",
        {**DETAILS, "email": "guest@example.com"},
    )
    page = client.get("/checkout/review/")
    assert page.status_code == 200
    assert page.context["quote"].offers == []
    assert "Pay with points" not in page.content.decode()
