"""Coupons where shoppers meet them: the review page, "My coupons" and the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from loyalty.coupons.services import coupon_issue
from loyalty.models import Coupon, CouponKind, CouponRedemption, MemberCoupon
from loyalty.tests.admin_support import queries_of
from loyalty.tests.checkout_support import messages_of, review_page_reach, review_place
from loyalty.tests.coupons.support import coupon_create, variant
from loyalty.tests.factories import member_create
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.checkout.tests.helpers import new_key
from shop.orders.models import Order
from shop.orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client, shipping_methods):  # noqa: F811
    """A member at the review page with one NT$1,000 item in the cart."""
    user = member_create(email="shopper@example.com", name="林小美")
    review_page_reach(client, user, variant("1000", stock=5))
    return user


# --- The review page ------------------------------------------------------------


def test_a_code_is_applied_shown_and_placed_with_the_order(client, shopper):
    coupon = coupon_create(combines_with_points=False)
    html = client.get("/checkout/review/").content.decode()
    assert '<label for="offer-coupon-value">Coupon code</label>' in html

    response = client.post(
        "/checkout/option/", {"option": "coupon", "value": " summer10"}
    )
    assert messages_of(response) == ["Your order has been updated."]

    page = client.get("/checkout/review/")
    html = page.content.decode()
    assert page.context["quote"].total.amount == Decimal("900")
    assert "<strong>Coupon SUMMER10</strong>: 10% off — NT$100 off this order" in html
    assert "<li>Cannot be combined with points.</li>" in html
    assert "Remove coupon" in html

    assert review_place(client).status_code == 302
    order = Order.objects.get()
    assert order.total == Decimal("900")
    assert CouponRedemption.objects.get().order == order
    assert Coupon.objects.get(pk=coupon.pk).times_used == 1


def test_a_refused_code_says_why_and_is_not_kept(client, shopper):
    coupon_create(min_spend=Decimal("1500"))
    response = client.post(
        "/checkout/option/", {"option": "coupon", "value": "SUMMER10"}
    )
    assert messages_of(response) == ["Spend NT$500 more to use this coupon."]
    assert client.session["checkout"].get("options", {}) == {}


def test_a_coupon_can_be_removed(client, shopper):
    coupon_create()
    client.post("/checkout/option/", {"option": "coupon", "value": "SUMMER10"})
    response = client.post("/checkout/option/", {"option": "coupon", "remove": "1"})
    assert messages_of(response)[-1] == "Your order has been updated."
    page = client.get("/checkout/review/")
    assert page.context["quote"].total.amount == Decimal("1000")
    assert "Remove coupon" not in page.content.decode()


def test_a_voucher_is_picked_from_the_wallet(client, shopper):
    coupon = coupon_create(code="", name="Birthday gift", kind="fixed", value=200)
    voucher = coupon_issue(coupon=coupon, user=shopper, issue_key="b:1", source="t")
    html = client.get("/checkout/review/").content.decode()
    assert f'name="value" value="v:{voucher.pk}"' in html

    client.post("/checkout/option/", {"option": "coupon", "value": f"v:{voucher.pk}"})

    page = client.get("/checkout/review/")
    assert page.context["quote"].total.amount == Decimal("800")
    assert "Applied" in page.content.decode()


def test_a_coupon_used_up_meanwhile_is_dropped_with_its_reason(client, shopper):
    coupon = coupon_create(usage_limit=1)
    client.post("/checkout/option/", {"option": "coupon", "value": "SUMMER10"})
    Coupon.objects.filter(pk=coupon.pk).update(times_used=1)

    page = client.get("/checkout/review/")

    assert page.status_code == 200
    assert page.context["quote"].total.amount == Decimal("1000")
    assert messages_of(page)[-1] == "This coupon has been fully redeemed."
    assert "coupon" not in client.session["checkout"]["options"]


# --- My coupons -----------------------------------------------------------------


def _vouchers(user, count):
    now = timezone.now()
    for n in range(count):
        coupon = coupon_create(code="", name=f"Voucher {n}", valid_days=30 + n)
        coupon_issue(coupon=coupon, user=user, issue_key="k", source="t", now=now)


def test_my_coupons_shows_usable_first_and_highlights_what_expires_soon(client):
    user = member_create(email="wallet@example.com")
    client.force_login(user)
    now = timezone.now()
    soon = coupon_create(code="", name="Soon", kind=CouponKind.FIXED, value=100)
    later = coupon_create(code="", name="Later", min_spend=Decimal("500"))
    spent = coupon_create(code="", name="Spent", kind=CouponKind.FREE_SHIPPING)
    gone = coupon_create(code="", name="Gone", kind=CouponKind.FIXED, value=50)
    coupon_issue(coupon=soon, user=user, issue_key="k", source="t")
    coupon_issue(coupon=later, user=user, issue_key="k", source="t")
    MemberCoupon.objects.filter(coupon=soon).update(expires_at=now + timedelta(days=3))
    MemberCoupon.objects.filter(coupon=later).update(
        expires_at=now + timedelta(days=40)
    )
    order = OrderFactory(user=user)
    MemberCoupon.objects.create(
        coupon=spent, user=user, issue_key="k", issued_at=now, used_at=now, order=order
    )
    MemberCoupon.objects.create(
        coupon=gone,
        user=user,
        issue_key="k",
        issued_at=now - timedelta(days=40),
        expires_at=now - timedelta(days=10),
    )

    response = client.get("/account/coupons/")

    assert response.status_code == 200
    assert [row.voucher.coupon.name for row in response.context["usable"]] == [
        "Soon",
        "Later",
    ]
    assert [row.voucher.coupon.name for row in response.context["past"]] == [
        "Spent",
        "Gone",
    ]
    html = response.content.decode()
    assert '<strong class="is-expiring">Expires in 3 days</strong>' in html
    assert "<li>On orders of NT$500 or more.</li>" in html
    assert f"Order {order.number}" in html
    assert 'href="/account/coupons/"' in html  # the member-area menu


def test_my_coupons_reads_a_page_in_the_same_queries_for_more_vouchers(client):
    user = member_create(email="count@example.com")
    client.force_login(user)
    _vouchers(user, 2)
    queries_of(client, "/account/coupons/")  # warms the session and the caches
    two = queries_of(client, "/account/coupons/")
    _vouchers(user, 1)
    assert queries_of(client, "/account/coupons/") == two


def test_my_coupons_needs_a_login(client):
    response = client.get("/account/coupons/")
    assert response.status_code == 302 and "/account/login/" in response.url


# --- API ------------------------------------------------------------------------


@pytest.fixture
def api_user(shipping_methods):  # noqa: F811
    user = member_create(email="app@example.com")
    api = APIClient(headers={"Accept-Language": "en"})
    api.force_authenticate(user)
    return user, api


def test_the_coupons_api_lists_the_wallet(api_user):
    user, api = api_user
    coupon = coupon_create(code="", name="Gift", kind="fixed", value=100, valid_days=3)
    voucher = coupon_issue(coupon=coupon, user=user, issue_key="k", source="t")

    response = api.get("/api/loyalty/coupons/")

    assert response.status_code == 200
    assert response.data["count"] == 1
    [row] = response.data["results"]
    assert {
        k: row[k] for k in ("id", "option", "name", "kind", "benefit", "state")
    } == {
        "id": voucher.pk,
        "option": f"v:{voucher.pk}",
        "name": "Gift",
        "kind": "fixed",
        "benefit": "NT$100 off",
        "state": "usable",
    }
    assert (row["expires_in_days"], row["expiry"], row["order"]) == (
        3,
        "Expires in 3 days",
        None,
    )
    assert api.get("/api/loyalty/coupons/", {"state": "used"}).data["count"] == 0
    bad = api.get("/api/loyalty/coupons/", {"state": "lost"})
    assert bad.status_code == 400
    assert bad.data == {"state": ["Choose one of: usable, used, expired."]}
    assert APIClient().get("/api/loyalty/coupons/").status_code in (401, 403)


def test_the_coupons_api_reads_a_page_in_the_same_queries(api_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user, api = api_user
    _vouchers(user, 2)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/loyalty/coupons/").status_code == 200
        return len(captured)

    count()  # warms the caches
    two = count()
    _vouchers(user, 1)
    assert count() == two


def test_applying_a_coupon_through_the_api(api_user):
    _user, api = api_user
    item = variant("1000")
    coupon_create(max_discount=Decimal("80"))
    body = {"items": [{"variant": item.pk, "quantity": 1}], "shipping_method": "store"}

    response = api.post(
        "/api/loyalty/coupons/apply/", {**body, "coupon": "summer10"}, format="json"
    )

    assert response.status_code == 200, response.data
    assert response.data["coupon"] == {
        "option": "summer10",
        "label": "Coupon SUMMER10",
        "benefit": "10% off, up to NT$80",
        "terms": ["For members only."],
        "free_shipping": False,
    }
    assert response.data["discount"] == "80"
    assert response.data["quote"]["total"] == "920"

    quote = api.post(
        "/api/checkout/quote/",
        {**body, "options": {"coupon": "SUMMER10"}},
        format="json",
    )
    assert quote.data["total"] == "920"
    # Removing it is leaving it out.
    assert api.post("/api/checkout/quote/", body, format="json").data["total"] == "1000"


@pytest.mark.parametrize(
    ("coupon", "errors"),
    [
        (
            "WINTER",
            {"coupon": ["There is no coupon “WINTER”. Check the code and try again."]},
        ),
        ("SUMMER10", {"coupon": ["Spend NT$1,000 more to use this coupon."]}),
        ("", {"coupon": ["This field may not be blank."]}),
    ],
)
def test_the_apply_api_names_the_coupon_field(api_user, coupon, errors):
    _user, api = api_user
    item = variant("1000")
    coupon_create(min_spend=Decimal("2000"))
    response = api.post(
        "/api/loyalty/coupons/apply/",
        {"items": [{"variant": item.pk, "quantity": 1}], "coupon": coupon},
        format="json",
    )
    assert response.status_code == 400
    assert response.data == errors


def test_an_order_placed_through_the_api_redeems_the_coupon(api_user):
    _user, api = api_user
    item = variant("1000")
    coupon = coupon_create(combines_with_points=False, per_member_limit=5)
    body = {
        "items": [{"variant": item.pk, "quantity": 1}],
        "shipping_method": "store",
        "payment_method": "atm",
        "name": "王大明",
        "phone": "0912345678",
        "options": {"coupon": "SUMMER10"},
    }
    response = api.post(
        "/api/checkout/orders/",
        body,
        format="json",
        headers={"Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.data
    assert response.data["total"] == "900"
    assert Coupon.objects.get(pk=coupon.pk).times_used == 1

    with_points = api.post(
        "/api/checkout/orders/",
        {**body, "points": 10},
        format="json",
        headers={"Idempotency-Key": new_key()},
    )
    assert with_points.status_code == 400
    assert with_points.data == {
        "coupon": ["This coupon cannot be combined with points."]
    }
