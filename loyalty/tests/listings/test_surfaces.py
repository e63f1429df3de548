"""Every surface that shows or sells a product, for every kind of rule and shopper.

One shop: "Geisha 藝伎" (slug `secret`, in 咖啡 › 典藏 › 批次) under a rule,
"House Blend" (slug `public`, in 咖啡) under none. Each case names what each
shopper should get: the product hidden (not found anywhere: listing, category
count and facets, search, product page 404, API list and detail, sitemap, the
member-only section, cart add on the page and the API, checkout placement),
locked (shown everywhere with the reason, refused by cart and checkout with
it) or open (shown and sold).

The shop has no "related products" block yet; when one arrives it must read
`products_visible` like the others, and a case belongs here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from loyalty.listings.services import listing_access_grant
from loyalty.tests.listings.support import (
    paid_member,
    rule_make,
    shop_with_secret,
    shopper_of,
)
from loyalty.tests.prices_fixtures import home_delivery, member_in
from shop.accounts.tests.factories import StaffFactory
from shop.checkout.errors import CheckoutError
from shop.checkout.tests.helpers import place
from shop.orders.models import OrderLine

pytestmark = pytest.mark.django_db

HIDDEN, OPEN = "hidden", "open"
GOLD = "Members of Gold or higher can buy this."
LOGIN = "Log in as a member to buy this."
PAID = "Paid members can buy this."
LINK = "Open the private link to buy this."
GONE = "Sorry, this product is no longer available."


@dataclass(frozen=True)
class Case:
    name: str
    rule: dict
    expect: dict[str, str]
    target: str = "secret"
    # Days from now: the rule's early-access window.
    starts_in: int | None = None
    public_in: int | None = None
    # Whether the member-only section lists it for those who may buy it.
    in_section: bool = True
    extra: dict = field(default_factory=dict)


def _locked(reason: str) -> str:
    return f"locked:{reason}"


def _public_date(days: int) -> str:
    moment = timezone.now() + timedelta(days=days)
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


TIER_GOLD = {"audience": "tier", "min_tier_code": "gold"}
CASES = [
    Case(
        "tier-hidden",
        {**TIER_GOLD, "mode": "hidden"},
        {"guest": HIDDEN, "member": HIDDEN, "silver": HIDDEN, "gold": OPEN},
    ),
    Case(
        "tier-teaser",
        {**TIER_GOLD, "mode": "teaser"},
        {"guest": _locked(GOLD), "silver": _locked(GOLD), "gold": OPEN},
    ),
    Case(
        "members-hidden",
        {"audience": "members", "mode": "hidden"},
        {"guest": HIDDEN, "member": OPEN},
    ),
    Case(
        "members-teaser",
        {"audience": "members", "mode": "teaser"},
        {"guest": _locked(LOGIN), "member": OPEN},
    ),
    Case(
        "paid-hidden",
        {"audience": "paid", "mode": "hidden"},
        {"guest": HIDDEN, "gold": HIDDEN, "paid": OPEN},
    ),
    Case(
        "paid-teaser",
        {"audience": "paid", "mode": "teaser"},
        {"guest": _locked(PAID), "member": _locked(PAID), "paid": OPEN},
    ),
    Case(
        "code-hidden",
        {"audience": "code", "mode": "hidden"},
        {"guest": HIDDEN, "member": HIDDEN, "code_guest": OPEN, "grant_member": OPEN},
    ),
    Case(
        "code-teaser",
        {"audience": "code", "mode": "teaser"},
        {"guest": _locked(LINK), "code_guest": OPEN},
    ),
    Case(
        "early-access",
        {**TIER_GOLD, "mode": "teaser"},
        {
            "guest": _locked(f"{GOLD} Everyone can buy it from {_public_date(10)}."),
            "silver": _locked(f"{GOLD} Everyone can buy it from {_public_date(10)}."),
            "gold": OPEN,
        },
        starts_in=-1,
        public_in=10,
    ),
    Case(
        "not-yet-open",
        {**TIER_GOLD, "mode": "teaser"},
        {"guest": HIDDEN, "gold": HIDDEN, "staff": OPEN},
        starts_in=1,
    ),
    Case(
        "now-public",
        {**TIER_GOLD, "mode": "hidden"},
        {"guest": OPEN, "silver": OPEN},
        starts_in=-10,
        public_in=-1,
        in_section=False,
    ),
    Case(
        "collection-hidden",
        {**TIER_GOLD, "mode": "hidden"},
        {"guest": HIDDEN, "silver": HIDDEN, "gold": OPEN, "staff": OPEN},
        target="reserve",
    ),
]
PARAMS = [
    pytest.param(case, actor, id=f"{case.name}-{actor}")
    for case in CASES
    for actor in case.expect
]


def _become(client, actor: str, rule):
    """Sign `client` in as `actor` (or open the private link); their user."""
    users = {
        "member": lambda: member_in("member"),
        "silver": lambda: member_in("silver"),
        "gold": lambda: member_in("gold"),
        "paid": paid_member,
        "staff": StaffFactory,
    }
    if actor == "guest":
        return None
    if actor == "code_guest":
        response = client.get(f"/members-only/access/{rule.access_code}/")
        assert response.status_code == 302
        return None
    if actor == "grant_member":
        # Opened on another device: the grant alone, nothing in this session.
        user = member_in("member")
        listing_access_grant(rule=rule, user=user)
    else:
        user = users[actor]()
    client.force_login(user)
    return user


def _window(case: Case) -> dict:
    now = timezone.now()
    window = {}
    if case.starts_in is not None:
        window["starts_at"] = now + timedelta(days=case.starts_in)
    if case.public_in is not None:
        window["public_from"] = now + timedelta(days=case.public_in)
    return window


@pytest.mark.parametrize(("case", "actor"), PARAMS)
def test_every_surface(client, case, actor):
    shop = shop_with_secret()
    rule = rule_make(target=shop[case.target], **case.rule, **_window(case))
    user = _become(client, actor, rule)
    expected = case.expect[actor]
    visible = expected != HIDDEN
    reason = expected.removeprefix("locked:") if expected.startswith("locked") else ""
    card = 'href="/p/secret/"'
    lock = (
        f'<p class="purchase-lock"><span aria-hidden="true">&#128274; </span>'
        f"{reason}</p>"
    )

    # Listing, category counts and facets, search.
    html = client.get("/products/").content.decode()
    assert (card in html, "2 products" in html) == (visible, visible)
    assert (lock in html) == bool(reason)
    html = client.get("/c/coffee/").content.decode()
    assert ("2 products" if visible else "1 product") in html
    assert ('value="secret-brand"' in html) == visible
    assert ('value="plain-brand"' in html) is True
    html = client.get("/c/reserve/").content.decode()
    assert ("1 product" if visible else "0 products") in html
    html = client.get("/search/", {"q": "Geisha"}).content.decode()
    assert (card in html) == visible

    # The product page: 404, locked instead of the buy form, or for sale.
    response = client.get("/p/secret/")
    assert response.status_code == (200 if visible else 404)
    if visible:
        html = response.content.decode()
        assert ('class="variant-picker add-to-cart"' in html) == (not reason)
        assert (
            f'<p class="purchase-lock" role="note"><span aria-hidden="true">'
            f"&#128274; </span>{reason}</p>" in html
        ) == bool(reason)

    # The API: list and detail.
    listed = {
        row["slug"]: row["purchase_locked_reason"]
        for row in client.get("/api/products/").json()["results"]
    }
    assert listed == ({"secret": reason, "public": ""} if visible else {"public": ""})
    response = client.get("/api/products/secret/")
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert response.json()["purchase_locked_reason"] == reason

    # The sitemap is the public's view, whoever asks.
    sitemap = client.get("/sitemap.xml").content.decode()
    assert ("/p/secret/</loc>" in sitemap) == (case.expect["guest"] != HIDDEN)

    # The member-only section lists what the shopper may buy under a rule.
    html = client.get("/members-only/").content.decode()
    assert (card in html) == (expected == OPEN and case.in_section)
    assert 'href="/p/public/"' not in html

    # Cart: the API, then the page.
    variant = shop["variants"]["secret"]
    response = client.post(
        "/api/cart/lines/",
        {"variant": variant.pk, "quantity": 1},
        content_type="application/json",
    )
    if expected == OPEN:
        assert response.status_code == 201
    else:
        assert response.status_code == 400
        assert response.json() == {"variant": [reason or GONE]}
    response = client.post(
        "/cart/add/",
        {"variant": variant.pk, "quantity": 1, "action": "add", "next": "/p/public/"},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    if expected != OPEN:
        assert messages == [reason or GONE]
    lines = {
        line["variant"]: line["quantity"]
        for line in client.get("/api/cart/").json()["lines"]
    }
    assert lines == ({variant.pk: 2} if expected == OPEN else {})

    # Checkout re-checks at placement.
    shopper = shopper_of(client, user)
    if expected == OPEN:
        order = place(shopper=shopper, items={variant.pk: 1}, method=home_delivery())
        assert list(
            OrderLine.objects.filter(order=order).values_list("product_id", flat=True)
        ) == [shop["secret"].pk]
    else:
        with pytest.raises(CheckoutError) as refused:
            place(shopper=shopper, items={variant.pk: 1}, method=home_delivery())
        assert refused.value.message == (
            f"Geisha 藝伎 cannot be bought: {reason} Please review your cart."
            if reason
            else "An item in your cart is no longer available. Please review your cart."
        )
