"""The demo plan: enough, valid and stable data, without touching the database."""

from collections import Counter
from decimal import Decimal

import pytest

from shop.accounts.services import address_validate
from shop.accounts.validators import normalize_phone
from shop.demo.data.catalog import BRANDS, TOP_CATEGORIES
from shop.demo.images import PATTERNS, draw_picture
from shop.demo.plan import (
    BASE_PRODUCT_COUNT,
    catalogue_plan,
    shopper_plan,
    whole_tens,
)


def test_written_catalogue_has_130_products_in_8_categories_of_2_leaves():
    assert BASE_PRODUCT_COUNT == 130
    assert [top.slug for top in TOP_CATEGORIES] == [
        "coffee",
        "tea",
        "skincare",
        "apparel",
        "home",
        "snacks",
        "stationery",
        "bags-accessories",
    ]
    assert [len(top.leaves) for top in TOP_CATEGORIES] == [2] * 8


def test_default_plan_fills_every_leaf_with_its_written_products():
    plan = catalogue_plan(BASE_PRODUCT_COUNT)
    per_leaf = Counter(product.leaf.slug for product in plan)
    assert per_leaf["coffee-beans"] == 10
    assert set(per_leaf.values()) == {8, 10}
    assert len(per_leaf) == 16
    assert sum(product.featured for product in plan) == 16
    assert {product.brand for product in plan} == {slug for slug, _name in BRANDS}


def test_small_plan_spreads_over_every_leaf_first():
    plan = catalogue_plan(16)
    assert len({product.leaf.slug for product in plan}) == 16


def test_larger_plan_extends_a_smaller_one():
    assert catalogue_plan(40) == catalogue_plan(200)[:40]


def test_benchmark_plan_has_unique_slugs_and_skus_and_edition_titles():
    plan = catalogue_plan(2000)
    skus = [variant.sku for product in plan for variant in product.variants]
    assert len({product.slug for product in plan}) == 2000
    assert len(set(skus)) == len(skus)
    assert plan[130].slug == "yirgacheffe-g1-washed-2"
    assert plan[130].title == "衣索比亞 耶加雪菲 G1 水洗咖啡豆（經典款）"
    assert plan[130].variants[0].sku == "CB-0011-01"


def test_prices_are_whole_tens_and_sales_are_above_the_price():
    for product in catalogue_plan(BASE_PRODUCT_COUNT):
        for variant in product.variants:
            assert variant.price > 0
            assert variant.price == whole_tens(variant.price)
            if variant.compare_at_price is not None:
                assert variant.compare_at_price > variant.price
                assert variant.compare_at_price == whole_tens(variant.compare_at_price)


def test_coffee_beans_come_in_two_weights_with_a_dearer_pound():
    product = catalogue_plan(1)[0]
    assert product.slug == "yirgacheffe-g1-washed"
    assert product.option1_name == "重量"
    assert [(v.option1, v.price, v.weight_grams) for v in product.variants] == [
        ("半磅 227g", Decimal("450"), 260),
        ("一磅 454g", Decimal("810"), 500),
    ]
    assert ("origin", "ethiopia") in product.attributes
    assert product.description.startswith("茉莉花香")
    assert "山嵐咖啡嚴選衣索比亞生豆，水洗處理、淺焙，" in product.description


def test_apparel_has_sizes_s_to_xl_in_each_colour_and_a_size_guide():
    shirt = next(
        p for p in catalogue_plan(BASE_PRODUCT_COUNT) if p.slug == "linen-relaxed-shirt"
    )
    assert (shirt.option1_name, shirt.option2_name) == ("尺寸", "顏色")
    assert [(v.option1, v.option2) for v in shirt.variants][:5] == [
        ("S", "白"),
        ("S", "燕麥"),
        ("S", "霧藍"),
        ("M", "白"),
        ("M", "燕麥"),
    ]
    assert len(shirt.variants) == 12
    assert shirt.size_guide.startswith("尺寸（公分）")


def test_some_products_are_sold_out_and_some_on_sale():
    plan = catalogue_plan(BASE_PRODUCT_COUNT)
    sold_out = [p for p in plan if all(v.stock == 0 for v in p.variants)]
    on_sale = [p for p in plan if p.variants[0].compare_at_price is not None]
    assert 3 <= len(sold_out) <= 15
    assert 15 <= len(on_sale) <= 45


def test_shoppers_have_valid_taiwan_phones_and_addresses():
    shoppers = shopper_plan(60)
    assert [s.email for s in shoppers[:2]] == [
        "member1@example.com",
        "member2@example.com",
    ]
    for shopper in shoppers:
        assert normalize_phone(shopper.phone) == shopper.phone
        assert [a.is_default for a in shopper.addresses][0] is True
        for address in shopper.addresses:
            # The address book's own rules, as a member would be held to them.
            address_validate(
                recipient_name=address.recipient_name,
                phone=address.phone,
                country="TW",
                postal_code=address.postal_code,
                city=address.city,
                district=address.district,
                street=address.street,
            )
    assert shopper_plan(3) == shoppers[:3]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_pictures_are_deterministic_800px_jpegs(pattern):
    from io import BytesIO

    from PIL import Image

    palette = TOP_CATEGORIES[0].palette
    first = draw_picture(palette=palette, pattern=pattern, seed="x")
    assert first == draw_picture(palette=palette, pattern=pattern, seed="x")
    assert first != draw_picture(palette=palette, pattern=pattern, seed="y")
    with Image.open(BytesIO(first)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (800, 800))
