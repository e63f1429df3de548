"""GET /api/loyalty/member-day/: the schedule for anyone, benefits for members."""

from datetime import timedelta
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from loyalty.models import Coupon, CouponKind, MemberCoupon
from loyalty.tests.points_support import member, programme_set, set_tier

pytestmark = pytest.mark.django_db

URL = "/api/loyalty/member-day/"


@pytest.fixture
def member_days(gold_benefits):
    programme_set(member_day_dates="8,18")


@pytest.fixture
def gold(db):
    user = member(email="gold@example.com")
    set_tier(user, "gold")
    return user


def test_guests_get_the_schedule_without_benefits(clock, member_days):
    clock.set("2027-03-08 09:00")

    response = APIClient().get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "is_member_day": True,
        "today": "2027-03-08",
        "next_member_day": "2027-03-18",
        "schedule": "Every month on day 8, 18",
        "extra_percent": None,
        "points_multiplier": None,
        "benefits": "",
        "coupons_only_today": [],
    }


def test_a_member_gets_their_tiers_benefits(clock, member_days, gold):
    clock.set("2027-03-09 09:00")
    token = Token.objects.create(user=gold)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    body = client.get(URL).json()

    assert body == {
        "is_member_day": False,
        "today": "2027-03-09",
        "next_member_day": "2027-03-18",
        "schedule": "Every month on day 8, 18",
        "extra_percent": "5.00",
        "points_multiplier": "2.00",
        "benefits": "Gold members get an extra 5% off and 2× points",
        "coupons_only_today": [],
    }


def test_member_day_only_coupons_are_listed_on_a_member_day(clock, member_days, gold):
    now = clock.set("2027-03-18 09:00")
    voucher_coupon = Coupon.objects.create(
        name="會員日 100 元",
        kind=CouponKind.FIXED,
        value=Decimal("100"),
        min_spend=Decimal("1000"),
        member_day_only=True,
    )
    voucher = MemberCoupon.objects.create(
        coupon=voucher_coupon,
        user=gold,
        issue_key="bulk:1",
        issued_at=now,
        expires_at=now + timedelta(days=10),
    )
    Coupon.objects.create(
        name="金卡會員日 9 折",
        code="GOLDDAY",
        kind=CouponKind.PERCENT,
        value=Decimal("10"),
        min_tier_code="gold",
        member_day_only=True,
    )
    Coupon.objects.create(
        name="VIP only", code="VIPDAY", min_tier_code="vip", member_day_only=True
    )
    Coupon.objects.create(name="Any day", code="ANYDAY")
    client = APIClient()
    client.force_authenticate(gold)

    coupons = client.get(URL).json()["coupons_only_today"]

    assert coupons == [
        {
            "name": "會員日 100 元",
            "code": "",
            "option": f"v:{voucher.pk}",
            "description": "",
            "kind": "fixed",
            "value": "100.00",
            "min_spend": "1000",
            "expires_at": "2027-03-28T09:00:00+08:00",
        },
        {
            "name": "金卡會員日 9 折",
            "code": "GOLDDAY",
            "option": "GOLDDAY",
            "description": "",
            "kind": "percent",
            "value": "10.00",
            "min_spend": "0",
            "expires_at": None,
        },
    ]

    # Not on other days: they could not be used.
    clock.set("2027-03-19 09:00")
    assert client.get(URL).json()["coupons_only_today"] == []


def test_the_operation_is_in_the_schema():
    response = APIClient().get("/api/schema/?format=json")

    assert response.status_code == 200
    operation = response.json()["paths"]["/api/loyalty/member-day/"]["get"]
    assert operation["operationId"] == "loyalty_member_day_retrieve"
