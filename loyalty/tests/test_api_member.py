"""The loyalty API: my membership, my points history, the tier table, staff doors."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from loyalty.models import Membership, PointsEntry
from loyalty.services.membership import membership_ensure
from loyalty.tests.factories import member_create
from loyalty.tests.member_factories import lot_earn, silver_member
from shop.accounts.tests.factories import StaffFactory, UserFactory
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db

MEMBERSHIP = "/api/loyalty/membership/"
POINTS = "/api/loyalty/points/"
TIERS = "/api/loyalty/tiers/"


def member_url(user_id) -> str:
    return f"/api/loyalty/members/{user_id}/"


def adjust_url(user_id) -> str:
    return f"/api/loyalty/members/{user_id}/points-adjustments/"


def staff_with(*codenames):
    staff = StaffFactory()
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="loyalty", codename__in=codenames
        )
    )
    return staff


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def member(api):
    user = member_create(name="陳美麗", email="mei@example.com")
    api.force_authenticate(user)
    return user


@pytest.fixture
def silver(member):
    return silver_member(
        member, order=order_with_lines(user=member, number="261201ABCDE")
    )


# --- Access ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", MEMBERSHIP),
        ("get", POINTS),
        ("get", member_url(1)),
        ("post", adjust_url(1)),
    ],
)
def test_anonymous_gets_401(api, method, url):
    assert getattr(api, method)(url).status_code == 401


def test_the_tier_table_is_public(api):
    response = api.get(TIERS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [row["code"] for row in body["results"]] == [
        "member",
        "silver",
        "gold",
        "vip",
    ]
    assert body["results"][1] == {
        "code": "silver",
        "rank": 1,
        "name": "Silver",
        "discount_percent": "3.00",
        "points_multiplier": "1.50",
        "points_per_amount": "1.50",
        "earn_per_amount": "100",
        "free_shipping_threshold": "799",
        "earn": "1.5 points per NT$100",
        "free_shipping": "Orders from NT$799",
        "qualify_spend": "5000",
        "qualify_orders": None,
        "qualify_requires_both": False,
        "qualify_window": "rolling",
        "qualify_window_months": 12,
        "qualify_single_order": "3000",
        "retain_spend": "3000",
        "validity": "months",
        "validity_months": 12,
        "how_to_qualify": (
            "Spend NT$5,000 within 12 months, or spend NT$3,000 in one order"
        ),
        "how_to_keep": (
            "Valid 12 months from reaching it; spend NT$3,000 in that time to keep it"
        ),
    }
    assert body["results"][0]["free_shipping_threshold"] is None
    assert body["results"][2]["free_shipping_threshold"] == "0"


def test_the_tier_table_comes_in_the_request_language(api):
    response = api.get(TIERS, HTTP_ACCEPT_LANGUAGE="zh-hant")

    assert [row["name"] for row in response.json()["results"]] == [
        "一般會員",
        "銀卡",
        "金卡",
        "VIP",
    ]


# --- My membership --------------------------------------------------------------


def test_my_membership(api, member, silver):
    today = silver["today"]

    response = api.get(MEMBERSHIP)

    assert response.status_code == 200
    body = response.json()
    assert body["tier"] == {"code": "silver", "rank": 1, "name": "Silver"}
    assert body["tier_expires_on"] == (today + timedelta(days=200)).isoformat()
    assert body["points"] == {
        "available": 550,
        "pending": 125,
        "releases": [
            {"date": (today + timedelta(days=3)).isoformat(), "points": 80},
            {"date": None, "points": 45},
        ],
        "expiries": [
            {"date": (today + timedelta(days=20)).isoformat(), "points": 300},
            {"date": (today + timedelta(days=50)).isoformat(), "points": 250},
        ],
        "expiring_soon": 300,
        "expiring_soon_until": (today + timedelta(days=30)).isoformat(),
    }
    expires = today + timedelta(days=200)
    assert body["progress"] == {
        "next_tier": {"code": "gold", "rank": 2, "name": "Gold"},
        "next_spend_needed": "11240",
        "next_orders_needed": None,
        "next_percent": 25,
        "window_starts_on": body["progress"]["window_starts_on"],
        "window_ends_on": None,
        "spend_in_window": "3760",
        "orders_in_window": 2,
        "retain_spend_needed": "1240",
        "retain_percent": 58,
        "retain_by": expires.isoformat(),
        "spend_in_validity": "1760",
        "next_text": "Spend NT$11,240 more to reach Gold",
        "keep_text": (
            f"Spend NT$1,240 more by {date_format(expires, 'DATE_FORMAT')} "
            "to keep Silver"
        ),
    }


def test_an_account_older_than_the_programme_gets_the_base_tier(api):
    user = UserFactory()
    api.force_authenticate(user)

    response = api.get(MEMBERSHIP)

    assert response.status_code == 200
    body = response.json()
    assert body["tier"]["code"] == "member"
    assert body["tier_expires_on"] is None
    assert (body["points"]["available"], body["points"]["pending"]) == (0, 0)
    assert Membership.objects.filter(user=user).exists()


def _queries(api, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url, params).status_code == 200
    return len(captured)


def test_my_membership_queries_do_not_grow(api, member, silver):
    membership = silver["membership"]
    _queries(api, MEMBERSHIP)
    before = _queries(api, MEMBERSHIP)
    for days in (70, 100):
        lot_earn(membership, points=9, expires_at=timezone.now() + timedelta(days=days))
    lot_earn(membership, points=9, pending=True)

    assert _queries(api, MEMBERSHIP) == before


# --- My points history ----------------------------------------------------------


def test_my_points_history_is_paginated_newest_first(api, member, silver):
    order = silver["order"]

    response = api.get(POINTS, {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 12
    assert body["next"].endswith("page=2&page_size=2")
    first, second = body["results"]
    waiting = PointsEntry.objects.filter(lot=silver["waiting"]).get()
    assert first == {
        "id": waiting.pk,
        "created_at": first["created_at"],
        "kind": "earn",
        "kind_display": "Earned",
        "reason": "",
        "points": 0,
        "pending_points": 45,
        "available_at": None,
        "order": None,
    }
    assert (second["kind"], second["points"]) == ("expire", -60)
    redeem = api.get(POINTS, {"kind": "redeem"}).json()["results"]
    assert [
        (row["kind"], row["points"], row["reason"], row["order"]) for row in redeem
    ] == [
        (
            "redeem",
            -50,
            "Paid with points",
            {
                "number": order.number,
                "url": f"http://testserver/account/orders/{order.number}/",
            },
        )
    ]


def test_pending_entries_say_when_they_become_available(api, member, silver):
    rows = api.get(POINTS, {"kind": "earn", "page_size": 2}).json()["results"]

    assert [(row["pending_points"], row["available_at"]) for row in rows] == [
        (45, None),
        (
            80,
            timezone.localtime(silver["releasing"].available_at).isoformat(),
        ),
    ]


def test_my_points_history_filters_by_days(api, member, silver):
    today = silver["today"]

    response = api.get(
        POINTS,
        {
            "date_from": (today - timedelta(days=30)).isoformat(),
            "date_to": (today - timedelta(days=20)).isoformat(),
        },
    )

    assert [
        (row["kind"], row["points"], row["pending_points"])
        for row in response.json()["results"]
    ] == [
        ("redeem", -50, 0),
        ("release", 100, -100),
        ("earn", 0, 100),
        ("release", 200, -200),
        ("earn", 0, 200),
    ]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"kind": "gift"}, ["kind"]),
        ({"date_from": "31/03/2027"}, ["date_from"]),
        ({"date_from": "2027-03-31", "date_to": "2027-03-01"}, ["date_to"]),
        ({"page": "0"}, ["page"]),
        ({"page_size": "101"}, ["page_size"]),
    ],
)
def test_bad_filters_are_400s_naming_the_parameter(api, member, params, fields):
    response = api.get(POINTS, params)

    assert response.status_code == 400
    assert sorted(response.json()) == fields


def test_my_points_history_is_only_mine(api, member, silver):
    other = member_create()
    lot_earn(membership_ensure(user=other), points=999, reason="Not yours")

    body = api.get(POINTS, {"page_size": 100}).json()

    assert body["count"] == 12
    assert "Not yours" not in {row["reason"] for row in body["results"]}


def test_my_points_history_queries_do_not_grow(api, member, silver):
    membership = silver["membership"]
    orders = [order_with_lines(user=member) for _ in range(2)]
    _queries(api, POINTS)
    before = _queries(api, POINTS)
    lot_earn(membership, points=3, order=orders[0], pending=True)
    lot_earn(membership, points=4, order=orders[1])

    assert _queries(api, POINTS) == before


def test_the_tier_table_is_served_from_the_cache(api):
    _queries(api, TIERS)

    # The programme and the tiers in force are cached; the page is cut in memory.
    assert _queries(api, TIERS) == 0


# --- Staff: a customer's membership ---------------------------------------------


def test_a_member_cannot_read_another_members_membership(api, member):
    other = member_create()

    assert api.get(member_url(other.pk)).status_code == 403
    assert api.get(member_url(member.pk)).status_code == 403


def test_staff_without_the_permission_get_403(api):
    api.force_authenticate(staff_with("adjust_points"))
    customer = member_create()

    assert api.get(member_url(customer.pk)).status_code == 403


def test_staff_read_a_customers_membership(api, silver, member):
    api.force_authenticate(staff_with("view_membership"))

    response = api.get(member_url(member.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["customer"] == {
        "id": member.pk,
        "email": "mei@example.com",
        "name": "陳美麗",
    }
    assert body["tier"]["code"] == "silver"
    assert (body["points"]["available"], body["points"]["pending"]) == (550, 125)
    assert body["progress"]["next_spend_needed"] == "11240"
    assert (body["total_spend"], body["order_count"], body["last_order_at"]) == (
        "0",
        0,
        None,
    )


def test_staff_asking_for_an_unknown_customer_get_404(api):
    api.force_authenticate(staff_with("view_membership"))

    assert api.get(member_url(999999)).status_code == 404


# --- Staff: points adjustments --------------------------------------------------


def test_adjusting_needs_the_permission(api, member):
    customer = member_create()
    body = {"points": 100, "reason": "Goodwill"}

    assert api.post(adjust_url(customer.pk), body).status_code == 403
    api.force_authenticate(staff_with("view_membership"))
    assert api.post(adjust_url(customer.pk), body).status_code == 403
    # The permission alone is not enough: only staff adjust points.
    holder = UserFactory()
    holder.user_permissions.add(Permission.objects.get(codename="adjust_points"))
    api.force_authenticate(holder)
    assert api.post(adjust_url(customer.pk), body).status_code == 403
    assert PointsEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"points", "reason"}),
        ({"points": 0, "reason": "Goodwill"}, {"points"}),
        ({"points": "ten", "reason": "Goodwill"}, {"points"}),
        ({"points": 1_000_001, "reason": "Goodwill"}, {"points"}),
        ({"points": 10, "reason": "   "}, {"reason"}),
        ({"points": 10, "reason": "x" * 256}, {"reason"}),
        (
            {"points": 10, "reason": "Goodwill", "idempotency_key": "a b"},
            {"idempotency_key"},
        ),
    ],
)
def test_a_bad_adjustment_is_a_400_naming_the_field(api, body, errors):
    api.force_authenticate(staff_with("adjust_points"))
    customer = member_create()

    response = api.post(adjust_url(customer.pk), body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == errors
    assert PointsEntry.objects.count() == 0


def test_adjusting_an_unknown_customer_is_a_404(api):
    api.force_authenticate(staff_with("adjust_points"))

    response = api.post(adjust_url(999999), {"points": 5, "reason": "Goodwill"})

    assert response.status_code == 404


def test_staff_cannot_adjust_their_own_points(api):
    staff = staff_with("adjust_points")
    api.force_authenticate(staff)

    response = api.post(adjust_url(staff.pk), {"points": 5, "reason": "Mine"})

    assert response.status_code == 403
    assert PointsEntry.objects.count() == 0


def test_staff_add_points_with_a_reason(api, member):
    staff = staff_with("adjust_points")
    api.force_authenticate(staff)
    customer = member_create()

    response = api.post(
        adjust_url(customer.pk),
        {"points": 120, "reason": "Sorry for the late parcel"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    entry = PointsEntry.objects.get()
    assert body == {
        "entry": {
            "id": entry.pk,
            "created_at": body["entry"]["created_at"],
            "kind": "adjust",
            "kind_display": "Adjusted by staff",
            "reason": "Sorry for the late parcel",
            "points": 120,
            "pending_points": 0,
            "available_at": None,
            "order": None,
        },
        "points_available": 120,
        "points_pending": 0,
    }
    assert (entry.actor, entry.membership.user) == (staff, customer)


def test_staff_take_points_away_but_not_below_zero(api):
    api.force_authenticate(staff_with("adjust_points"))
    customer = member_create()
    lot_earn(
        membership_ensure(user=customer),
        points=50,
        expires_at=timezone.now() + timedelta(days=90),
    )

    too_many = api.post(
        adjust_url(customer.pk), {"points": -51, "reason": "Typo"}, format="json"
    )
    fine = api.post(
        adjust_url(customer.pk), {"points": -20, "reason": "Typo"}, format="json"
    )

    assert too_many.status_code == 400
    assert too_many.json() == {"points": ["The member has only 50 points available."]}
    assert fine.status_code == 201
    assert (fine.json()["points_available"], fine.json()["entry"]["points"]) == (
        30,
        -20,
    )


def test_the_same_idempotency_key_books_once(api):
    api.force_authenticate(staff_with("adjust_points"))
    customer = member_create()
    body = {"points": 15, "reason": "Survey", "idempotency_key": "survey-2027:42"}

    first = api.post(adjust_url(customer.pk), body, format="json")
    again = api.post(adjust_url(customer.pk), body, format="json")
    other = api.post(adjust_url(customer.pk), {**body, "points": 16}, format="json")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["entry"]["id"] == first.json()["entry"]["id"]
    assert again.json()["points_available"] == 15
    assert other.status_code == 400
    assert list(other.json()) == ["idempotency_key"]
    assert PointsEntry.objects.count() == 1


def test_a_client_key_cannot_replay_a_ledger_key(api, member, silver):
    api.force_authenticate(staff_with("adjust_points"))
    internal = PointsEntry.objects.filter(membership=silver["membership"]).first()

    response = api.post(
        adjust_url(member.pk),
        {
            "points": 5,
            "reason": "Goodwill",
            "idempotency_key": internal.idempotency_key,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["entry"]["id"] != internal.pk
