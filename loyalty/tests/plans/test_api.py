"""Paid membership over the API: plans, mine, buy, cancel, refund."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from loyalty.models import PaidMembership, PaidMembershipStatus, Purchase
from loyalty.plans.periods import period_last_day
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import paid_member_create, plan_create

pytestmark = pytest.mark.django_db

PLANS = "/api/loyalty/membership-plans/"
MINE = "/api/loyalty/paid-membership/"
BUY = "/api/loyalty/paid-membership/purchases/"
CANCEL = "/api/loyalty/paid-membership/cancel/"
REFUND = "/api/loyalty/paid-membership/refund/"


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def member(api):
    user = member_create()
    api.force_authenticate(user)
    return user


@pytest.fixture
def plan():
    return plan_create(min_tier_code="gold")


def test_guests_read_the_plans_but_nothing_else(api, plan):
    plan_create("off", name="Retired", is_active=False)
    response = api.get(PLANS)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    [row] = response.json()["results"]
    assert row == {
        "code": "plus",
        "name": "Plus",
        "description": "",
        "period": "month",
        "price": "199",
        "price_text": "NT$199 a month",
        "free_shipping": True,
        "extra_discount_percent": "5.00",
        "min_tier_code": "gold",
        "min_tier_name": "Gold",
        "benefits": [
            "Free shipping on every order",
            "An extra 5% off items",
            "At least Gold prices and benefits while it lasts",
        ],
    }
    assert api.get(MINE).status_code == 401
    for url in (BUY, CANCEL, REFUND):
        assert api.post(url, {}, format="json").status_code == 401


def test_the_plans_list_reads_the_same_queries_for_more_plans(api, plan):
    def count():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert api.get(PLANS).status_code == 200
        return len(captured)

    few = count()
    plan_create("year", name="Plus yearly", period="year", price="1990")
    plan_create("vip", name="VIP", price="499")
    assert count() == few


def test_mine_shows_the_current_period_and_what_can_be_done(api, member, plan):
    assert api.get(MINE).json() == {
        "current": None,
        "queued": None,
        "can_buy": True,
        "buy_refusal": "",
        "renewal_opens_at": None,
    }
    paid = paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    body = api.get(MINE).json()
    assert body["can_buy"] is False
    assert body["buy_refusal"].startswith("Renewal opens on ")
    current = body["current"]
    assert current["id"] == paid.pk
    assert current["plan"] == {"code": "plus", "name": "Plus", "period": "month"}
    assert (current["status"], current["status_display"]) == ("active", "Active")
    assert current["last_day"] == period_last_day(paid.ends_at).isoformat()
    assert current["amount"] == "199"
    assert current["refundable"] is True
    assert current["refund_refusal"] == ""


def test_buying_answers_with_where_to_pay(api, member, plan):
    response = api.post(BUY, {"plan": "plus", "gateway": "card"}, format="json")
    assert response.status_code == 201
    purchase = Purchase.objects.get(user=member)
    body = response.json()
    assert body["purchase"]["number"] == purchase.number
    assert body["purchase"]["kind"] == "membership"
    assert body["purchase"]["amount"] == "199"
    assert body["payment_url"].startswith("http://testserver/account/purchases/")


def test_buying_errors_name_the_field(api, member, plan):
    plan_create("off", name="Retired", is_active=False)
    response = api.post(BUY, {"plan": "off"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "plan": ["This plan is not on sale. Choose another one."]
    }
    response = api.post(BUY, {"plan": "plus", "gateway": "cod"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"gateway": ["Choose a payment method from the list."]}
    response = api.post(BUY, {}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["plan"]
    paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    response = api.post(BUY, {"plan": "plus"}, format="json")
    assert response.status_code == 400
    assert response.json()["plan"][0].startswith("Renewal opens on ")
    assert not Purchase.objects.filter(status="pending").exists()


def test_cancel_takes_effect_at_the_period_end(api, member, plan):
    assert api.post(CANCEL).json() == {
        "detail": "You have no paid membership to cancel."
    }
    paid = paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    response = api.post(CANCEL)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"]) == (paid.pk, "cancelled")
    paid.refresh_from_db()
    assert paid.status == PaidMembershipStatus.CANCELLED
    assert body["ends_at"] == timezone.localtime(paid.ends_at).isoformat()


def test_refund_is_one_time_and_only_for_ones_own_periods(api, member, plan):
    other = paid_member_create(user=member_create(), plan=plan, paid_at=timezone.now())
    assert api.post(REFUND, {"id": other.pk}, format="json").status_code == 404

    paid = paid_member_create(
        user=member, plan=plan, paid_at=timezone.now() - timedelta(hours=2)
    )
    response = api.post(REFUND, {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "refunded"
    assert Purchase.objects.get(pk=paid.purchase_id).refunded_amount == Decimal("199")

    again = paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    response = api.post(REFUND, {"id": again.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The refund is one-time and was already used on this account, "
        "so this membership cannot be refunded."
    }
    assert PaidMembership.objects.get(pk=again.pk).status == "active"
    assert PaidMembership.objects.get(pk=other.pk).status == "active"
