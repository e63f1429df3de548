"""The member area's loyalty pages: dashboard card, membership, points, tiers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from loyalty.models import Membership, PointsEntryKind, TierChange
from loyalty.services.membership import membership_ensure
from loyalty.tests.factories import member_create, tier
from loyalty.tests.member_factories import (
    entry_add,
    lot_earn,
    silver_member,
)
from shop.accounts.tests.factories import UserFactory
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PAGES = ["loyalty:membership", "loyalty:points", "loyalty:tiers"]


def long_date(day) -> str:
    return date_format(day, "DATE_FORMAT")


@pytest.fixture
def member(client):
    user = member_create(name="陳美麗", email="mei@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def silver(member):
    return silver_member(
        member, order=order_with_lines(user=member, number="261201ABCDE")
    )


def get(client, url_name, **params):
    response = client.get(reverse(url_name), params, **EN)
    assert response.status_code == 200
    return response, response.content.decode()


# --- Access ------------------------------------------------------------------


@pytest.mark.parametrize("url_name", PAGES)
def test_guests_are_sent_to_log_in(client, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url_name", PAGES)
def test_pages_do_not_accept_posts(client, member, url_name):
    assert client.post(reverse(url_name)).status_code == 405


@pytest.mark.parametrize("url_name", [*PAGES, "accounts:dashboard"])
def test_an_account_older_than_the_programme_sees_the_base_tier(client, url_name):
    user = UserFactory()
    assert not Membership.objects.filter(user=user).exists()
    client.force_login(user)

    response = client.get(reverse(url_name), **EN)

    assert response.status_code == 200
    membership = Membership.objects.get(user=user)
    assert membership.tier.code == "member"
    assert "Member" in response.content.decode()


def test_menu_links_to_the_loyalty_pages(client, member):
    response, html = get(client, "loyalty:points")

    for url_name, label in [
        ("loyalty:membership", "Membership"),
        ("loyalty:points", "Points history"),
        ("loyalty:tiers", "Tier history"),
    ]:
        assert f'href="{reverse(url_name)}"' in html
        assert f">{label}</a>" in html
    assert (
        f'<a href="{reverse("loyalty:points")}" aria-current="page">Points history</a>'
        in html
    )


# --- Dashboard card -------------------------------------------------------------


def test_dashboard_card_shows_tier_and_points(client, member, silver):
    today = silver["today"]

    response = client.get(reverse("accounts:dashboard"), **EN)

    html = response.content.decode()
    keys = [card.key for card, _context in response.context["cards"]]
    assert keys[0] == "membership"
    card = dict((c.key, ctx) for c, ctx in response.context["cards"])["membership"]
    assert (card["points"].available, card["points"].pending) == (550, 125)
    assert card["points"].expiring_soon == 300
    assert '<span class="tier-badge tier-badge-silver">Silver</span>' in html
    assert f"Valid until {long_date(today + timedelta(days=200))}" in html
    assert "<dd><strong>550</strong></dd>" in html
    release = long_date(today + timedelta(days=3))
    assert f'125 <span class="muted">(80 available from {release})' in html
    assert (
        f'300 <span class="muted">(next: 300 points expire after '
        f"{long_date(today + timedelta(days=20))})" in html
    )
    assert "Spend NT$11,240 more to reach Gold" in html
    assert (
        '<progress id="card-progress-next" class="loyalty-bar" max="100" value="25"'
    ) in html
    # The card keeps to the next tier; keeping this one is on the membership page.
    assert "to keep Silver" not in html
    assert f'href="{reverse("loyalty:membership")}"' in html


def test_dashboard_card_for_a_new_member(client, member):
    html = client.get(reverse("accounts:dashboard"), **EN).content.decode()

    assert '<span class="tier-badge tier-badge-member">Member</span>' in html
    assert "No expiry" in html
    assert "<dd><strong>0</strong></dd>" in html


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:dashboard")).status_code == 200
    return len(captured)


def test_dashboard_queries_do_not_grow_and_stay_within_ten(client, member, silver):
    membership = silver["membership"]
    # Made up front: a new product would empty the catalogue's menu cache.
    order = order_with_lines(user=member)
    _dashboard_queries(client)  # warms the programme and tier caches
    before = _dashboard_queries(client)
    lot_earn(
        membership,
        points=10,
        expires_at=timezone.now() + timedelta(days=90),
        order=order,
    )
    lot_earn(membership, points=5, pending=True)

    after = _dashboard_queries(client)

    assert after == before
    assert after <= 10


# --- Membership page ------------------------------------------------------------


def test_membership_page_shows_balances_with_dates(client, member, silver):
    today = silver["today"]

    response, html = get(client, "loyalty:membership")

    points = response.context["points"]
    assert (points.available, points.pending, points.expiring_soon) == (550, 125, 300)
    assert [(p.on, p.points) for p in points.releases] == [
        (today + timedelta(days=3), 80),
        (None, 45),
    ]
    assert [(p.on, p.points) for p in points.expiries] == [
        (today + timedelta(days=20), 300),
        (today + timedelta(days=50), 250),
    ]
    assert "<dd>550</dd>" in html
    assert "<dd>125</dd>" in html
    assert "<dd>300</dd>" in html
    release = long_date(today + timedelta(days=3))
    assert f">{release}</time>" in html
    assert "7 days after delivery" in html
    assert '<span class="loyalty-dates-points">80 points</span>' in html
    assert '<span class="loyalty-dates-points">45 points</span>' in html
    soon, later = (long_date(today + timedelta(days=n)) for n in (20, 50))
    assert f">{soon}</time>" in html
    assert f">{later}</time>" in html
    assert '<span class="loyalty-dates-points">250 points</span>' in html
    assert "Each point is worth NT$1 at checkout." in html


def test_membership_page_shows_tier_validity_and_progress(client, member, silver):
    response, html = get(client, "loyalty:membership")

    progress = response.context["progress"]
    assert progress.tier.code == "silver"
    assert (progress.next_tier.code, progress.next_spend_needed) == ("gold", 11240)
    assert (progress.retain_spend_needed, progress.retain_percent) == (1240, 58)
    expires = long_date(silver["today"] + timedelta(days=200))
    assert f">{expires}</time>" in html
    assert (
        '<p class="loyalty-progress-text" id="progress-next-text">'
        "Spend NT$11,240 more to reach Gold</p>"
    ) in html
    assert (
        '<progress id="progress-next" class="loyalty-bar" max="100" value="25" '
        'aria-labelledby="progress-next-text" '
        'aria-describedby="progress-next-figures">25%</progress>'
    ) in html
    assert "<span>NT$3,760 of NT$15,000</span>" in html
    assert (
        '<p class="loyalty-progress-text" id="progress-keep-text">'
        f"Spend NT$1,240 more by {expires} to keep Silver</p>"
    ) in html
    assert (
        '<progress id="progress-keep" class="loyalty-bar loyalty-bar-keep" '
        'max="100" value="58"'
    ) in html
    assert "<span>NT$1,760 of NT$3,000</span>" in html
    assert "<span>58%</span>" in html


def test_benefits_table_lists_every_tier_with_its_rules(client, member, silver):
    response, html = get(client, "loyalty:membership")

    rows = response.context["benefits"]
    assert [row.tier.code for row in rows] == ["member", "silver", "gold", "vip"]
    assert [
        (row.free_shipping, row.how_to_qualify, row.how_to_keep) for row in rows
    ] == [
        ("Standard threshold", "Every registered customer", "Never expires"),
        (
            "Orders from NT$799",
            "Spend NT$5,000 within 12 months, or spend NT$3,000 in one order",
            "Valid 12 months from reaching it; spend NT$3,000 in that time to keep it",
        ),
        (
            "Every order",
            "Spend NT$15,000 within 12 months",
            "Valid 12 months from reaching it; spend NT$10,000 in that time to keep it",
        ),
        (
            "Every order",
            "Spend NT$40,000 or place 20 orders within 12 months",
            "Valid 12 months from reaching it; spend NT$30,000 in that time to keep it",
        ),
    ]
    assert [str(row.points_per_amount) for row in rows] == [
        "1.00",
        "1.50",
        "2.00",
        "3.00",
    ]
    assert [(row.discount, row.multiplier, row.earn) for row in rows] == [
        ("", "×1", "1 point per NT$100"),
        ("3% off", "×1.5", "1.5 points per NT$100"),
        ("5% off", "×2", "2 points per NT$100"),
        ("10% off", "×3", "3 points per NT$100"),
    ]
    assert "<td>—</td>" in html
    assert "<td>3% off</td>" in html
    assert '<td>1.5 points per NT$100 <span class="muted">(×1.5)</span></td>' in html
    assert '<tr class="is-current">' in html
    assert html.count('<tr class="is-current">') == 1
    assert '<span class="loyalty-you">Your tier</span>' in html
    assert 'role="region" aria-labelledby="benefits-title" tabindex="0"' in html


def _membership_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("loyalty:membership")).status_code == 200
    return len(captured)


def test_membership_page_queries_do_not_grow(client, member, silver):
    membership = silver["membership"]
    _membership_queries(client)
    before = _membership_queries(client)
    for days in (60, 90, 120):
        lot_earn(membership, points=7, expires_at=timezone.now() + timedelta(days=days))
    lot_earn(membership, points=5, pending=True, available_at=timezone.now())

    assert _membership_queries(client) == before


# --- Points history -------------------------------------------------------------


def test_points_history_lists_every_entry_newest_first(client, member, silver):
    response, html = get(client, "loyalty:points")

    entries = list(response.context["entries"])
    assert len(entries) == 12
    assert [(e.kind, e.points, e.pending_points) for e in entries[:3]] == [
        (PointsEntryKind.EARN, 0, 45),
        (PointsEntryKind.EXPIRE, -60, 0),
        (PointsEntryKind.EARN, 0, 80),
    ]
    assert "<strong>550</strong> points available, 125 pending." in html
    order = silver["order"]
    assert f'<a href="/account/orders/{order.number}/">Order {order.number}</a>' in html
    assert html.count(f"Order {order.number}") == 3  # earn, release, redeem
    assert '<span class="loyalty-delta is-minus">-50</span>' in html
    assert '<span class="loyalty-delta is-plus">+300</span>' in html
    assert '<span class="loyalty-delta is-pending">+80</span>' in html
    available = date_format(
        timezone.localtime(silver["releasing"].available_at), "SHORT_DATE_FORMAT"
    )
    assert f"available from {available}" in html
    assert "available after delivery" in html
    assert "Paid with points" in html
    assert "12 entries" in html


def test_points_history_filters_by_kind(client, member, silver):
    response, html = get(client, "loyalty:points", kind="redeem")

    assert [(e.kind, e.points) for e in response.context["entries"]] == [
        ("redeem", -50)
    ]
    assert '<option value="redeem" selected>' in html
    assert "Clear all" in html


def test_points_history_filters_by_days_in_the_store_time_zone(client, member, silver):
    today = silver["today"]
    since = (today - timedelta(days=30)).isoformat()
    until = (today - timedelta(days=20)).isoformat()

    response, _html = get(client, "loyalty:points", date_from=since, date_to=until)

    assert [
        (e.kind, e.points, e.pending_points) for e in response.context["entries"]
    ] == [
        ("redeem", -50, 0),
        ("release", 100, -100),
        ("earn", 0, 100),
        ("release", 200, -200),
        ("earn", 0, 200),
    ]


def test_points_history_shows_a_bad_filter_and_ignores_it(client, member, silver):
    response, html = get(
        client,
        "loyalty:points",
        kind="gift",
        date_from="2027-03-31",
        date_to="2027-03-01",
    )

    form = response.context["form"]
    assert set(form.errors) == {"kind", "date_to"}
    assert "The end date must not be before the start." in html
    assert 'aria-invalid="true"' in html
    # Only the valid filter (from 31 March 2027) applies.
    assert list(response.context["entries"]) == []


def test_points_history_is_only_mine(client, member, silver):
    other = member_create()
    lot_earn(membership_ensure(user=other), points=999, reason="Someone else's")

    response, html = get(client, "loyalty:points")

    assert len(response.context["entries"]) == 12
    assert "999" not in html


def test_points_history_paginates_twenty_a_page_keeping_filters(client, member, silver):
    membership = silver["membership"]
    for n in range(25):
        entry_add(
            membership, kind=PointsEntryKind.ADJUST, points=1, reason=f"Goodwill {n}"
        )

    response, html = get(client, "loyalty:points", kind="adjust")
    page_two, html_two = get(client, "loyalty:points", kind="adjust", page=2)

    assert len(response.context["entries"]) == 20
    assert 'href="?kind=adjust&amp;page=2"' in html
    assert [e.reason for e in page_two.context["entries"]] == [
        f"Goodwill {n}" for n in range(4, -1, -1)
    ]
    assert 'href="?kind=adjust"' in html_two


def test_a_new_member_has_an_empty_history(client, member):
    _response, html = get(client, "loyalty:points")

    assert "You have no points yet. Paid orders earn points." in html


def _points_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("loyalty:points")).status_code == 200
    return len(captured)


def test_points_history_queries_do_not_grow(client, member, silver):
    membership = silver["membership"]
    # Made up front: a new product would empty the catalogue's menu cache.
    orders = [order_with_lines(user=member) for _ in range(2)]
    _points_queries(client)
    before = _points_queries(client)
    lot_earn(membership, points=3, order=orders[0], pending=True)
    lot_earn(membership, points=4, order=orders[1])

    assert _points_queries(client) == before


# --- Tier history ---------------------------------------------------------------


def test_tier_history_lists_changes_newest_first(client, member, silver):
    membership = silver["membership"]
    order = silver["order"]
    TierChange.objects.create(
        membership=membership,
        kind=TierChange.Kind.UPGRADE,
        from_tier=tier("member"),
        to_tier=tier("silver"),
        expires_on=silver["today"] + timedelta(days=200),
        reason="Spent NT$5,000 in 12 months",
        order=order,
        created_at=timezone.now(),
    )

    response, html = get(client, "loyalty:tiers")

    assert [c.kind for c in response.context["changes"]] == ["upgrade", "joined"]
    assert "Spent NT$5,000 in 12 months" in html
    assert f'<a href="/account/orders/{order.number}/">Order {order.number}</a>' in html
    assert (
        '<span class="tier-badge tier-badge-member">Member</span> '
        '<span aria-hidden="true">→</span><span class="visually-hidden">to</span> '
        '<span class="tier-badge tier-badge-silver">Silver</span>'
    ) in " ".join(html.split())
    assert "Joined" in html


def _tiers_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("loyalty:tiers")).status_code == 200
    return len(captured)


def test_tier_history_queries_do_not_grow(client, member, silver):
    membership = silver["membership"]
    order = order_with_lines(user=member)
    _tiers_queries(client)
    before = _tiers_queries(client)
    TierChange.objects.create(
        membership=membership,
        kind=TierChange.Kind.UPGRADE,
        from_tier=tier("member"),
        to_tier=tier("silver"),
        order=order,
        created_at=timezone.now(),
    )

    assert _tiers_queries(client) == before
