"""Cart and checkout after the shopper's access changed (a downgrade, a new
rule), and what the storefront pays in queries for the locks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loyalty.models import Membership
from loyalty.shopper import LoyaltyShopper
from loyalty.tests.factories import tier
from loyalty.tests.listings.support import rule_make, shop_with_secret
from loyalty.tests.prices_fixtures import home_delivery, member_in
from shop.cart import services
from shop.cart.errors import CartError
from shop.cart.selectors import cart_summary
from shop.cart.storage import CartRef, stored_items
from shop.catalog.tests.factories import (
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from shop.checkout.errors import CheckoutError
from shop.checkout.tests.helpers import place

pytestmark = pytest.mark.django_db

GOLD = "Members of Gold or higher can buy this."


@pytest.fixture
def shop():
    return shop_with_secret()


def _gold_with_secret_in_cart(shop, *, mode):
    rule_make(target=shop["secret"], audience="tier", min_tier_code="gold", mode=mode)
    user = member_in("gold")
    cart = CartRef(user=user)
    variant = shop["variants"]["secret"]
    services.cart_add(
        shopper=LoyaltyShopper(user), cart=cart, variant_id=variant.pk, quantity=2
    )
    Membership.objects.filter(user=user).update(tier=tier("silver"))
    return user, cart, variant


def test_after_a_downgrade_a_teaser_in_the_cart_cannot_be_bought(shop):
    user, cart, variant = _gold_with_secret_in_cart(shop, mode="teaser")
    shopper = LoyaltyShopper(user)

    summary = cart_summary(shopper=shopper, cart=cart)
    assert [line.problem for line in summary.lines] == [
        f"{GOLD} Please remove it from your cart."
    ]
    assert summary.can_check_out is False

    with pytest.raises(CartError) as more:
        services.cart_set_quantity(
            shopper=shopper, cart=cart, variant_id=variant.pk, quantity=3
        )
    assert (more.value.message, more.value.code) == (GOLD, "locked")
    # Lowering or removing is always allowed.
    assert (
        services.cart_set_quantity(
            shopper=shopper, cart=cart, variant_id=variant.pk, quantity=1
        )
        == 1
    )

    with pytest.raises(CheckoutError) as refused:
        place(shopper=shopper, items={variant.pk: 1}, method=home_delivery())
    assert refused.value.message == (
        f"Geisha 藝伎 cannot be bought: {GOLD} Please review your cart."
    )
    assert (refused.value.field, refused.value.code) == ("items", "locked")


def test_after_a_downgrade_a_hidden_product_is_no_longer_available(shop):
    user, cart, variant = _gold_with_secret_in_cart(shop, mode="hidden")
    shopper = LoyaltyShopper(user)

    summary = cart_summary(shopper=shopper, cart=cart)
    assert [line.problem for line in summary.lines] == [
        "No longer available. Please remove it from your cart."
    ]
    with pytest.raises(CheckoutError) as refused:
        place(shopper=shopper, items={variant.pk: 1}, method=home_delivery())
    assert refused.value.code == "unavailable"


def test_logging_in_drops_a_cart_line_the_member_may_not_buy(shop):
    session = SessionStore()
    session.create()
    variant = shop["variants"]["secret"]
    services.cart_add(
        shopper=LoyaltyShopper(None),
        cart=CartRef(session=session),
        variant_id=variant.pk,
    )
    rule_make(
        target=shop["secret"], audience="tier", min_tier_code="gold", mode="teaser"
    )
    user = member_in("silver")

    notes = services.cart_merge_at_login(
        shopper=LoyaltyShopper(user), session=session, user=user
    )

    assert notes == [f"Geisha 藝伎 was removed from your cart: {GOLD}"]
    assert stored_items(CartRef(user=user)) == {}


def test_logging_in_keeps_a_line_the_private_link_opened(client, shop):
    rule = rule_make(target=shop["secret"], audience="code")
    variant = shop["variants"]["secret"]
    user = member_in("member")
    assert client.get(f"/members-only/access/{rule.access_code}/").status_code == 302
    assert client.post("/cart/add/", {"variant": variant.pk}).status_code == 302

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct-horse-42"},
        follow=True,
    )

    assert response.context["user"] == user
    # The link opened in this session still holds for the member logging in.
    assert stored_items(CartRef(user=user)) == {variant.pk: 1}


def _add_products(category, count):
    for _ in range(count):
        product = ProductFactory(category=category, title="咖啡豆")
        VariantFactory(product=product, price=Decimal("500"), stock=3)
        ProductImageFactory(product=product)


def _queries(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_listing_and_product_page_read_the_locks_in_one_query(client, shop):
    rule_make(target=shop["public"], audience="tier", min_tier_code="gold")
    rule_make(target=shop["reserve"], audience="members", mode="teaser")
    _add_products(shop["lots"], 3)
    few = _queries(client, "/c/reserve/")
    _add_products(shop["lots"], 1)
    more = _queries(client, "/c/reserve/")
    html = client.get("/c/reserve/").content.decode()

    assert html.count("Log in as a member to buy this.") == 5
    # Count, page, variants, pictures, and the page's categories for the locks.
    assert few == more == 5
    # The product page's four, and the locks.
    assert _queries(client, "/p/secret/") == 5
