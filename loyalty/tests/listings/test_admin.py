"""Member-only listings in the back office: the list, adding and checking rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.models import ListingRule
from loyalty.tests.admin_support import merchant_login, queries_of
from loyalty.tests.listings.support import rule_make, shop_with_secret
from shop.catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:loyalty_listingrule_changelist")
ADD = reverse("admin:loyalty_listingrule_add")


@pytest.fixture
def shop():
    return shop_with_secret()


@pytest.fixture
def merchant(client):
    return merchant_login(client)


def _form(**fields) -> dict:
    data = {
        "name": "藝伎 early access",
        "product": "",
        "category": "",
        "audience": "tier",
        "min_tier_code": "gold",
        "access_code": "",
        "mode": "hidden",
        "starts_at_0": "",
        "starts_at_1": "",
        "public_from_0": "",
        "public_from_1": "",
        "is_active": "on",
    }
    data.update(fields)
    return data


def test_the_list_shows_target_audience_window_and_link(client, merchant, shop):
    starts = timezone.now() + timedelta(days=1)
    rule_make(
        target=shop["secret"],
        name="Gold first",
        audience="tier",
        min_tier_code="gold",
        mode="teaser",
        starts_at=starts,
    )
    linked = rule_make(target=shop["reserve"], name="Friends", audience="code")

    html = client.get(CHANGELIST).content.decode()

    assert "Geisha 藝伎" in html
    assert "典藏 (collection)" in html
    assert "Gold or higher" in html
    assert "Holders of the private link" in html
    assert "Shown to everyone, sold only to the audience" in html
    link = f"/members-only/access/{linked.access_code}/"
    assert f'<a href="{link}">{link}</a>' in html


def test_the_list_queries_do_not_grow_with_rules(client, merchant, shop):
    for n in range(3):
        rule_make(target=ProductFactory(), name=f"Rule {n}", audience="members")
    rule_make(target=shop["reserve"], name="Collection", audience="paid")
    client.get(CHANGELIST)  # the tiers, cached as after any earlier page
    few = queries_of(client, CHANGELIST)
    rule_make(target=ProductFactory(), name="One more", audience="code")
    assert queries_of(client, CHANGELIST) == few


def test_adding_a_private_link_rule_generates_its_code(client, merchant, shop):
    response = client.post(
        ADD,
        _form(audience="code", min_tier_code="gold", product=shop["secret"].pk),
    )

    assert response.status_code == 302
    rule = ListingRule.objects.get()
    assert len(rule.access_code) == 16
    # Only the tier audience keeps a tier.
    assert rule.min_tier_code == ""
    assert client.get(f"/members-only/access/{rule.access_code}/").status_code == 302


def test_the_form_names_what_to_fix(client, merchant, shop):
    taken = rule_make(target=shop["public"], audience="code")
    now = timezone.localtime()
    cases = [
        (
            _form(product=shop["secret"].pk, category=shop["reserve"].pk),
            "product",
            "Choose either a product or a collection.",
        ),
        (_form(), "product", "Choose either a product or a collection."),
        (
            _form(product=shop["secret"].pk, min_tier_code=""),
            "min_tier_code",
            "Choose the lowest tier that may buy.",
        ),
        (
            _form(product=shop["secret"].pk, min_tier_code="platinum"),
            "min_tier_code",
            "No tier of the active scheme has the code “platinum”; use one of: "
            "member, silver, gold, vip.",
        ),
        (
            _form(
                product=shop["secret"].pk,
                starts_at_0=now.strftime("%Y-%m-%d"),
                starts_at_1="12:00:00",
                public_from_0=now.strftime("%Y-%m-%d"),
                public_from_1="11:00:00",
            ),
            "public_from",
            "“Public from” must come after the audience's start.",
        ),
        (
            _form(
                product=shop["secret"].pk,
                audience="code",
                access_code=taken.access_code,
            ),
            "access_code",
            "Another member-only listing already uses this code.",
        ),
    ]
    for data, field, message in cases:
        response = client.post(ADD, data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {field: [message]}
    assert ListingRule.objects.count() == 1


def test_a_saved_rule_shows_at_once(client, merchant, shop):
    guest = client.__class__()
    assert guest.get("/p/secret/").status_code == 200

    client.post(ADD, _form(product=shop["secret"].pk))

    assert guest.get("/p/secret/").status_code == 404
