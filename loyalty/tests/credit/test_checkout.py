"""Paying with shopping credit at checkout: the offer, the cap, stacking with
points, allocations, placement and cancellation, and what earns points."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from loyalty.models import CreditEntry, Membership
from loyalty.services import points
from loyalty.services.points import order_earn_base
from loyalty.tests.checkout_support import messages_of, review_page_reach, review_place
from loyalty.tests.credit.support import (
    D,
    assert_consistent,
    balance,
    credit_order,
    grant,
)
from loyalty.tests.points_support import member, programme_set, variant
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.checkout.tests.helpers import new_key
from shop.orders.models import Order
from shop.orders.services import order_cancel

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client, shipping_methods):  # noqa: F811
    user = member(email="credit@example.com", name="林小美")
    grant(user, "1500")
    review_page_reach(client, user, variant("1000", stock=5))
    return user


def test_the_review_page_offers_credit_with_the_rule(client, shopper):
    html = client.get("/checkout/review/").content.decode()
    assert "Pay with shopping credit" in html
    assert "Your shopping credit: NT$1,500." in html
    assert "up to NT$1,000 on this order" in html
    assert "Shopping credit can pay all of what is left to pay." in html
    assert 'name="value" value="1000" min="1" max="1000"' in html


def test_a_member_pays_part_of_an_order_with_credit(client, shopper):
    response = client.post("/checkout/option/", {"option": "credit", "value": "300"})
    assert response.url == "/checkout/review/"
    assert messages_of(response) == ["Your order has been updated."]
    html = client.get("/checkout/review/").content.decode()
    assert "NT$300 of shopping credit pays this order." in html
    assert "Place order and pay NT$700" in html

    assert review_place(client).status_code == 302

    order = Order.objects.get()
    assert (order.subtotal, order.total) == (D(1000), D(700))
    adjustment = order.adjustments.get(code="credit")
    assert (adjustment.kind, adjustment.amount, adjustment.data) == (
        "tender",
        D(-300),
        {"credit": "300"},
    )
    assert [a.amount for a in adjustment.allocations.all()] == [D(-300)]
    assert order.payments.get().amount == D(700)
    spend = CreditEntry.objects.get(kind="spend")
    assert (spend.amount, spend.order_id) == (D(-300), order.pk)
    assert balance(shopper) == D(1200)
    assert_consistent()

    order_cancel(order=order)
    assert balance(shopper) == D(1500)
    assert_consistent()


def test_an_order_paid_in_full_with_credit_is_paid_at_once(client, shopper):
    client.post("/checkout/option/", {"option": "credit", "value": "max"})
    assert review_place(client).status_code == 302

    order = Order.objects.get()
    assert (order.total, order.status) == (D(0), "paid")
    payment = order.payments.get()
    assert (payment.amount, payment.status) == (D(0), "paid")
    # Paid, so it earns (per `earn_on_credit_paid`) and nobody is asked to pay.
    assert order.paid_at is not None
    assert balance(shopper) == D(500)
    assert_consistent()


def test_max_uses_as_much_as_the_cap_allows(client, shopper):
    programme_set(credit_max_percent=40)
    client.post("/checkout/option/", {"option": "credit", "value": "max"})
    page = client.get("/checkout/review/")
    assert page.context["quote"].total.amount == D(600)
    assert "up to NT$400 on this order" in page.content.decode()
    assert (
        "Shopping credit can pay up to 40% of what is left to pay."
        in page.content.decode()
    )


def test_asking_for_too_much_credit_shows_why_and_keeps_nothing(client, shopper):
    programme_set(credit_max_percent=50)
    response = client.post("/checkout/option/", {"option": "credit", "value": "501"})
    assert messages_of(response) == [
        "You can use at most NT$500 shopping credit on this order."
    ]
    response = client.post("/checkout/option/", {"option": "credit", "value": "2000"})
    assert messages_of(response)[-1] == "You have only NT$1,500 shopping credit."
    response = client.post("/checkout/option/", {"option": "credit", "value": "1.5"})
    assert messages_of(response)[-1] == "Enter a whole amount."
    assert client.session["checkout"].get("options", {}) == {}


def test_credit_stacks_with_points_on_what_the_points_left(client, shopper):
    points.points_adjust(user=shopper, points=200, reason="Welcome", actor=None)
    programme_set(credit_max_percent=50)
    client.post("/checkout/option/", {"option": "points", "value": "200"})
    client.post("/checkout/option/", {"option": "credit", "value": "max"})

    quote = client.get("/checkout/review/").context["quote"]

    assert [(a.code, a.amount.amount) for a in quote.adjustments][-2:] == [
        ("points", D(-200)),
        ("credit", D(-400)),
    ]
    assert quote.total.amount == D(400)


def test_credit_and_points_may_be_kept_apart(client, shopper):
    points.points_adjust(user=shopper, points=200, reason="Welcome", actor=None)
    programme_set(credit_with_points=False)
    client.post("/checkout/option/", {"option": "points", "value": "100"})

    response = client.post("/checkout/option/", {"option": "credit", "value": "100"})

    assert messages_of(response)[-1] == (
        "Credit and points cannot pay the same order: remove the points to pay "
        "with credit."
    )
    html = client.get("/checkout/review/").content.decode()
    assert "Credit and points cannot pay the same order." in html
    assert client.session["checkout"]["options"] == {"points": "100"}


def test_credit_spent_elsewhere_meanwhile_stops_the_order(client, shopper):
    client.post("/checkout/option/", {"option": "credit", "value": "1000"})
    page = client.get("/checkout/review/")
    form = page.context["form"]
    from loyalty.credit import services as credit

    credit.credit_adjust(
        user=shopper,
        amount=D(-800),
        reason="Spent in store",
        actor=None,
        idempotency_key="store:1",
    )
    response = client.post(
        "/checkout/review/",
        {
            "idempotency_key": form["idempotency_key"].value(),
            "total": form["total"].value(),
        },
    )
    assert response.url == "/checkout/review/"
    assert messages_of(response)[-1] == "You have only NT$700 shopping credit."
    assert Order.objects.count() == 0
    assert balance(shopper) == D(700)


def test_placement_rechecks_the_balance_under_the_lock(client, shopper, monkeypatch):
    """The page priced with a stale balance: the receiver's check stops it."""
    client.post("/checkout/option/", {"option": "credit", "value": "1000"})
    form = client.get("/checkout/review/").context["form"]
    from loyalty.credit import services as credit

    credit.credit_adjust(
        user=shopper,
        amount=D(-800),
        reason="Spent in store",
        actor=None,
        idempotency_key="store:1",
    )
    # Only the ledger knows: the adjuster reads a stale cached balance.
    monkeypatch.setattr(
        "loyalty.credit.adjusters.shopper_membership",
        lambda shopper_, *fields: Membership(credit_balance=D(1500)),
    )
    response = client.post(
        "/checkout/review/",
        {
            "idempotency_key": form["idempotency_key"].value(),
            "total": form["total"].value(),
        },
    )
    assert messages_of(response)[-1] == "You have only NT$700 shopping credit left."
    assert Order.objects.count() == 0
    assert CreditEntry.objects.filter(kind="spend").count() == 0
    assert_consistent()


# --- API -------------------------------------------------------------------------


@pytest.fixture
def api_member(shipping_methods):  # noqa: F811
    user = member(email="app@example.com", name="王大明", phone="+886912345678")
    grant(user, "3000")
    api = APIClient(headers={"Accept-Language": "en"})
    api.force_authenticate(user)
    return user, api


def test_the_quote_api_allocates_credit_to_lines_up_to_their_value(api_member):
    _user, api = api_member
    first, second = variant("700"), variant("300")
    body = {
        "items": [
            {"variant": first.pk, "quantity": 1},
            {"variant": second.pk, "quantity": 2},
        ],
        "shipping_method": "home",  # NT$100 under NT$1,500
    }
    response = api.post("/api/checkout/quote/", body, format="json")
    assert response.data["total"] == "1400"
    [offer] = [o for o in response.data["offers"] if o["key"] == "credit"]
    assert offer["context"] == {
        "balance": "3000",
        "max_amount": "1400",
        "usable": True,
        "reason": "",
        "rule": "Shopping credit can pay all of what is left to pay.",
        "applied_amount": "0",
        "applied_max": False,
        "currency": "TWD",
    }

    response = api.post(
        "/api/checkout/quote/", {**body, "options": {"credit": "999"}}, format="json"
    )
    assert response.data["total"] == "401"
    credit_row = response.data["adjustments"][-1]
    assert credit_row["amount"] == "-999"
    shares = {row["variant"]: D(row["amount"]) for row in credit_row["allocations"]}
    assert shares == {first.pk: D(-538), second.pk: D(-461)}
    assert sum(shares.values()) == D(-999)

    # Credit paying the shipping too: the lines get their value, the rest
    # (the shipping) stays on the order.
    response = api.post(
        "/api/checkout/quote/", {**body, "options": {"credit": "max"}}, format="json"
    )
    assert response.data["total"] == "0"
    credit_row = response.data["adjustments"][-1]
    assert credit_row["amount"] == "-1400"
    shares = {row["variant"]: D(row["amount"]) for row in credit_row["allocations"]}
    assert shares == {first.pk: D(-700), second.pk: D(-600)}


@pytest.mark.parametrize(
    ("options", "errors"),
    [
        ({"credit": "x"}, {"credit": ["Enter an amount."]}),
        ({"credit": "-5"}, {"credit": ["Enter an amount of 0 or more."]}),
        ({"credit": "3001"}, {"credit": ["You have only NT$3,000 shopping credit."]}),
        # Short to type, too large to round: a field error, not a 500.
        ({"credit": "1e30"}, {"credit": ["This amount is too large."]}),
        ({"credit": "-1E+99"}, {"credit": ["This amount is too large."]}),
    ],
)
def test_the_quote_api_names_the_credit_field_in_error(api_member, options, errors):
    _user, api = api_member
    item = variant("1000")
    response = api.post(
        "/api/checkout/quote/",
        {
            "items": [{"variant": item.pk, "quantity": 1}],
            "shipping_method": "store",
            "options": options,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data == errors


def test_an_order_placed_through_the_api_pays_with_credit(api_member):
    user, api = api_member
    item = variant("1000")
    response = api.post(
        "/api/checkout/orders/",
        {
            "items": [{"variant": item.pk, "quantity": 1}],
            "shipping_method": "store",
            "payment_method": "atm",
            "options": {"credit": "250"},
        },
        format="json",
        headers={"Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.data
    assert response.data["total"] == "750"
    assert balance(user) == D(2750)
    assert_consistent()


def test_guests_cannot_pay_with_credit(shipping_methods):  # noqa: F811
    api = APIClient(headers={"Accept-Language": "en"})
    item = variant("1000")
    response = api.post(
        "/api/checkout/quote/",
        {
            "items": [{"variant": item.pk, "quantity": 1}],
            "shipping_method": "store",
            "options": {"credit": "10"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data == {"credit": ["Log in to pay with shopping credit."]}


def test_members_without_credit_see_no_offer(shipping_methods):  # noqa: F811
    user = member(email="nocredit@example.com")
    api = APIClient(headers={"Accept-Language": "en"})
    api.force_authenticate(user)
    item = variant("1000")
    response = api.post(
        "/api/checkout/quote/",
        {"items": [{"variant": item.pk, "quantity": 1}], "shipping_method": "store"},
        format="json",
    )
    assert "credit" not in [o["key"] for o in response.data["offers"]]


# --- Points earned on the part paid with credit ---------------------------------


@pytest.mark.parametrize(("earns", "base"), [(True, "3010"), (False, "2610")])
def test_the_part_paid_with_credit_earns_points_by_the_setting(earns, base):
    programme_set(earn_on_credit_paid=earns)
    user = member(email="earn@example.com")
    grant(user, "500")
    # Lines 2 × 1280 and 1 × 450 (3010); shipping 80 does not earn.
    order = credit_order(user, ["-300", "-100"], shipping_fee=Decimal("80"))
    assert order_earn_base(order=order).amount == D(base)
