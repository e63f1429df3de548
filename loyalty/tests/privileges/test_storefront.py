"""The member-day banner on every page, and the member area's privileges section."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loyalty.models import BirthdayGift
from loyalty.tests.points_support import member, programme_set, set_tier, taipei
from loyalty.tests.privileges.birthday_support import birthday_member

pytestmark = pytest.mark.django_db

PAGE = "/products/"
BANNER = 'class="container messages member-day-banner"'


@pytest.fixture
def member_days(gold_benefits):
    programme_set(member_day_dates="8,18")


def _queries(client, url) -> tuple[int, str]:
    client.get(url)  # warms the caches, as any earlier visitor would
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_guests_are_invited_to_join_on_a_member_day(client, clock, member_days):
    clock.set("2027-03-08 09:00")

    response = client.get(PAGE)

    html = response.content.decode()
    assert BANNER in html
    assert "Today is member day</strong> —" in html
    assert (
        '<a href="/account/login/">Log in</a> or <a href="/account/signup/">join</a>'
        " for extra savings." in html
    )


def test_no_banner_on_other_days(client, clock, member_days):
    clock.set("2027-03-09 09:00")
    user = member()
    set_tier(user, "gold")

    assert BANNER not in client.get(PAGE).content.decode()
    client.force_login(user)
    assert BANNER not in client.get(PAGE).content.decode()


def test_the_banner_costs_guests_no_query(client, clock, member_days):
    clock.set("2027-03-09 09:00")
    without, html = _queries(client, PAGE)
    assert BANNER not in html

    clock.set("2027-03-08 09:00")
    with_banner, html = _queries(client, PAGE)
    assert BANNER in html

    assert with_banner == without


def test_members_see_their_tiers_benefits(client, clock, member_days):
    clock.set("2027-03-18 20:00")
    user = member()
    set_tier(user, "gold")
    client.force_login(user)

    html = client.get(PAGE).content.decode()

    assert (
        "<strong>Today is member day</strong>: Gold members get an extra 5% off "
        "and 2× points." in html
    )


def test_the_banner_costs_a_member_no_query_beyond_the_pages_own(
    client, clock, member_days
):
    user = member()
    set_tier(user, "gold")
    client.force_login(user)
    clock.set("2027-03-09 09:00")
    without, _html = _queries(client, PAGE)

    clock.set("2027-03-08 09:00")
    with_banner, html = _queries(client, PAGE)

    assert "Gold members get an extra 5% off" in html
    assert with_banner == without


def test_the_demo_switch_makes_today_a_member_day(client, settings, member_days):
    settings.LOYALTY_MEMBER_DAY_FORCE = True

    assert BANNER in client.get(PAGE).content.decode()


def test_the_membership_page_shows_member_day_and_birthday(client, clock, member_days):
    clock.set("2027-03-10 12:00")
    user = birthday_member(date(1990, 3, 15))
    client.force_login(user)
    BirthdayGift.objects.create(
        user=user,
        year=2027,
        tier_code="gold",
        amount=Decimal("300"),
        issued_at=taipei("2027-03-01 00:05"),
    )

    response = client.get(reverse("loyalty:membership"))

    html = response.content.decode()
    assert 'datetime="2027-03-18">March 18</time>' in html
    assert "Gold members get an extra 5% off and 2× points" in html
    assert "On the first day of your birthday month" in html
    assert "You received NT$300 of shopping credit on March 1, 2027." in html
    assert "<td>NT$300 shopping credit</td>" in html
    assert "<td>Extra 5% off · 2× points</td>" in html
    assert "gets its first gift the following year. Gifts are valid for 30 days." in (
        html
    )


@pytest.mark.parametrize(
    ("fields", "today", "expected"),
    [
        ({"birthday": None}, "2027-03-10 12:00", "Add your birthday to your profile"),
        ({}, "2027-02-10 12:00", "Your birthday gift comes on March 1, 2027."),
        ({}, "2027-05-10 12:00", "Your next birthday gift comes on March 1, 2028."),
        (
            {"set_at": "2027-01-10 12:00"},
            "2027-02-10 12:00",
            "Your birthday was set or changed less than 180 days before this "
            "year&#x27;s gift day, so your first gift comes next year.",
        ),
        (
            {"joined": "2027-02-09 12:00", "set_at": None},
            "2027-02-10 12:00",
            "Your account was opened less than 30 days before this year&#x27;s "
            "gift day, so your first gift comes next year.",
        ),
        ({"tier": "member"}, "2027-02-10 12:00", "Your tier has no birthday gift"),
    ],
)
def test_the_membership_page_says_when_the_gift_comes_or_why_not(
    client, clock, member_days, fields, today, expected
):
    clock.set(today)
    birthday = fields.pop("birthday", date(1990, 3, 15))
    user = birthday_member(birthday, **fields)
    client.force_login(user)

    html = client.get(reverse("loyalty:membership")).content.decode()

    assert expected in html
