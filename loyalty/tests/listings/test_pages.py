"""The member-only section (page and API), the private links and what they cost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loyalty.listings.access import MAX_SESSION_CODES, SESSION_KEY
from loyalty.models import ListingAccessGrant
from loyalty.tests.listings.support import rule_make, shop_with_secret
from loyalty.tests.prices_fixtures import member_in
from shop.catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

SECTION = "/members-only/"
API = "/api/loyalty/members-only/"


@pytest.fixture
def shop():
    return shop_with_secret()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_urls_keep_the_loyalty_namespace():
    assert reverse("loyalty:members_only") == SECTION
    assert reverse("loyalty:listing_access", args=["abc"]) == (
        "/members-only/access/abc/"
    )
    assert reverse("loyalty:membership") == "/account/membership/"


# --- Private links ------------------------------------------------------------


def test_a_private_link_remembers_the_code_and_shows_the_product(client, shop):
    rule = rule_make(target=shop["secret"], audience="code")

    response = client.get(f"/members-only/access/{rule.access_code}/")

    assert (response.status_code, response.url) == (302, "/p/secret/")
    assert client.session[SESSION_KEY] == [rule.access_code]
    assert client.get("/p/secret/").status_code == 200
    assert not ListingAccessGrant.objects.exists()


def test_a_member_opening_the_link_keeps_access_on_every_device(client, shop):
    rule = rule_make(target=shop["reserve"], audience="code")
    user = member_in("member")
    client.force_login(user)

    for _ in range(2):
        response = client.get(f"/members-only/access/{rule.access_code}/")
        assert (response.status_code, response.url) == (302, "/c/reserve/")

    assert list(ListingAccessGrant.objects.values_list("rule_id", "user_id")) == [
        (rule.pk, user.pk)
    ]
    other_device = client.__class__()
    other_device.force_login(user)
    assert other_device.get("/p/secret/").status_code == 200


@pytest.mark.parametrize("state", ["unknown", "inactive", "other-audience"])
def test_a_link_that_does_not_open_anything_is_a_404(client, shop, state):
    rule = rule_make(target=shop["secret"], audience="code")
    code = rule.access_code
    if state == "unknown":
        code = "no-such-code"
    elif state == "inactive":
        rule.is_active = False
        rule.save()
    else:
        # Another audience keeps no code: the old link stops working.
        rule.audience = "members"
        from loyalty.listings.services import listing_rule_save

        listing_rule_save(rule=rule)
        assert rule.access_code == ""

    assert client.get(f"/members-only/access/{code}/").status_code == 404
    assert SESSION_KEY not in client.session


def test_the_session_keeps_the_latest_codes_only(client, shop):
    rules = [
        rule_make(target=shop["secret"], audience="code", name=f"Link {n}")
        for n in range(MAX_SESSION_CODES + 1)
    ]
    for rule in rules:
        client.get(f"/members-only/access/{rule.access_code}/")
    client.get(f"/members-only/access/{rules[1].access_code}/")

    codes = client.session[SESSION_KEY]
    assert len(codes) == MAX_SESSION_CODES
    assert rules[0].access_code not in codes
    assert codes[-1] == rules[1].access_code


# --- The member-only section ----------------------------------------------------


def test_guests_are_asked_to_log_in_or_join(client, shop):
    rule_make(target=shop["secret"], audience="members")
    html = _get(client, SECTION)

    assert 'href="/p/secret/"' not in html
    assert f'href="/account/login/?next={SECTION}"' in html
    assert "Join for free" in html
    # The header links to the section for members only.
    assert 'href="/members-only/">Members only</a>' not in html


def test_members_see_the_products_they_may_buy(client, shop):
    rule_make(target=shop["secret"], audience="tier", min_tier_code="gold")
    client.force_login(member_in("gold"))

    html = _get(client, SECTION)

    assert 'href="/p/secret/"' in html
    assert 'href="/p/public/"' not in html
    assert "1 product" in html
    assert 'href="/members-only/">Members only</a>' in html
    assert "Unlock more" not in html


def test_members_without_access_are_told_how_to_get_it(client, shop):
    rule_make(target=shop["secret"], audience="tier", min_tier_code="gold")
    client.force_login(member_in("silver"))

    html = _get(client, SECTION)

    assert 'href="/p/secret/"' not in html
    assert "Reach Gold to unlock its member-only products." in html
    assert 'href="/account/membership/"' in html


def test_members_are_told_when_there_is_nothing_at_all(client, shop):
    client.force_login(member_in("member"))
    html = _get(client, SECTION)
    assert "There are no member-only products right now." in html


def test_a_guest_with_a_private_link_sees_its_products(client, shop):
    rule = rule_make(target=shop["secret"], audience="code")
    client.get(f"/members-only/access/{rule.access_code}/")

    assert 'href="/p/secret/"' in _get(client, SECTION)


def test_an_unknown_page_is_a_404(client, shop):
    assert client.get(SECTION, {"page": "9"}).status_code == 404


def test_the_api_lists_the_products_the_caller_may_buy(client, shop):
    rule_make(target=shop["reserve"], audience="tier", min_tier_code="gold")
    assert client.get(API).json()["results"] == []

    client.force_login(member_in("gold"))
    body = client.get(API).json()

    assert body["count"] == 1
    assert [(p["slug"], p["purchase_locked_reason"]) for p in body["results"]] == [
        ("secret", "")
    ]


def _add_products(category, count):
    for _ in range(count):
        product = ProductFactory(category=category)
        VariantFactory(product=product, price=Decimal("900"), stock=3)
        VariantFactory(product=product, price=Decimal("950"), stock=0)


def _queries(client, url) -> tuple[int, int]:
    # A first visit fills the caches (rules, tiers, categories) as any earlier
    # visitor would.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    count = response.json()["count"] if url == API else None
    return len(captured), count


@pytest.mark.parametrize("url", [SECTION, API])
def test_the_section_queries_do_not_grow_with_products(client, shop, url):
    # A collection open to Gold, and a collection teaser elsewhere so that
    # the page's purchase locks read the products' categories.
    rule_make(target=shop["reserve"], audience="tier", min_tier_code="gold")
    rule_make(target=CategoryFactory(slug="tea"), audience="paid", mode="teaser")
    client.force_login(member_in("gold"))
    _add_products(shop["lots"], 3)
    few, few_count = _queries(client, url)
    _add_products(shop["lots"], 1)
    more, more_count = _queries(client, url)

    if url == API:
        assert (few_count, more_count) == (4, 5)
    # The user, the membership, the count, the page, its variants and first
    # pictures, the page's categories (for the purchase locks); the page adds
    # the header's cart count.
    assert few == more == (8 if url == SECTION else 7)
