"""Member prices in the back office: the tier-price inline on the variant page."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from loyalty.admin.prices import VariantWithTierPricesAdmin
from loyalty.models import TierPrice
from loyalty.prices import tier_prices_exist
from loyalty.shopper import LoyaltyShopper
from loyalty.tests.prices_fixtures import LIST_PRICE, member_in
from shop.accounts.tests.factories import StaffFactory
from shop.catalog.models import Variant
from shop.catalog.tests.factories import VariantFactory
from shop.core.roles import MERCHANT

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(client):
    user = StaffFactory()
    user.groups.set(Group.objects.filter(name=MERCHANT))
    client.force_login(user)
    return user


def _form_data(variant, **inline):
    data = {
        "product": variant.product_id,
        "sku": variant.sku,
        "option1": variant.option1,
        "option2": variant.option2,
        "price": str(variant.price),
        "compare_at_price": "",
        "stock": str(variant.stock),
        "initial-stock": str(variant.stock),
        "weight_grams": "0",
        "position": "0",
        "is_active": "on",
        "tier_prices-TOTAL_FORMS": "1",
        "tier_prices-INITIAL_FORMS": "0",
        "tier_prices-MIN_NUM_FORMS": "0",
        "tier_prices-MAX_NUM_FORMS": "1000",
    }
    data.update({f"tier_prices-0-{name}": value for name, value in inline.items()})
    return data


def test_the_variant_admin_is_the_one_with_tier_prices():
    assert isinstance(admin.site._registry[Variant], VariantWithTierPricesAdmin)


def test_a_merchant_sets_a_tier_price_and_members_pay_it_at_once(client, merchant):
    variant = VariantFactory(price=LIST_PRICE, stock=5)
    gold = LoyaltyShopper(member_in("gold"))
    # Priced once: "no tier prices" is now cached.
    assert gold.price_variants([variant])[variant.pk].price.amount == Decimal("1216")
    url = reverse("admin:catalog_variant_change", args=[variant.pk])

    page = client.get(url)
    assert page.status_code == 200
    [inline] = [
        formset
        for formset in page.context["inline_admin_formsets"]
        if formset.formset.model is TierPrice
    ]
    choices = inline.formset.empty_form["tier_code"].field.choices
    assert [code for code, _label in choices] == ["", "member", "silver", "gold", "vip"]

    response = client.post(url, _form_data(variant, tier_code="gold", price="1100"))

    assert response.status_code == 302, response.context["errors"]
    assert list(TierPrice.objects.values_list("variant", "tier_code", "price")) == [
        (variant.pk, "gold", Decimal("1100"))
    ]
    assert tier_prices_exist() is True
    fresh = LoyaltyShopper(gold.user)
    assert fresh.price_variants([variant])[variant.pk].price.amount == Decimal("1100")


def test_unknown_tiers_and_prices_above_the_list_price_are_refused(client, merchant):
    variant = VariantFactory(price=LIST_PRICE, stock=5)
    url = reverse("admin:catalog_variant_change", args=[variant.pk])

    unknown = client.post(url, _form_data(variant, tier_code="platinum", price="1"))
    above = client.post(url, _form_data(variant, tier_code="gold", price="1300"))

    assert unknown.status_code == above.status_code == 200
    assert "Select a valid choice." in str(unknown.context["errors"])
    assert "Above the list price: members would pay the list price." in str(
        above.context["errors"]
    )
    assert not TierPrice.objects.exists()


def test_a_merchant_removes_a_tier_price(client, merchant):
    variant = VariantFactory(price=LIST_PRICE, stock=5)
    row = TierPrice.objects.create(variant=variant, tier_code="gold", price=1100)
    url = reverse("admin:catalog_variant_change", args=[variant.pk])
    assert tier_prices_exist() is True

    data = _form_data(variant, id=str(row.pk))
    data.update(
        {
            "tier_prices-INITIAL_FORMS": "1",
            "tier_prices-0-variant": str(variant.pk),
            "tier_prices-0-tier_code": "gold",
            "tier_prices-0-price": "1100",
            "tier_prices-0-DELETE": "on",
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302
    assert not TierPrice.objects.exists()
    assert tier_prices_exist() is False
