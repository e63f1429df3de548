"""A shopper on a phone: home, a category, a filter, a product, another language."""

import json
import re

import pytest
from playwright.sync_api import expect

from shop.catalog.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shopper_browses_filters_opens_a_product_and_switches_language(
    demo_shop, live_server, page, screenshot
):
    category = Category.objects.filter(parent=None, products__isnull=True).first()

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.locator(".product-grid").first).to_be_visible()
    screenshot("storefront-home")

    page.locator(".category-nav").get_by_role("link", name=category.name).click()
    expect(page).to_have_url(re.compile(rf"/c/{category.slug}/$"))
    expect(page.locator("h1")).to_have_text(category.name)
    listed = page.locator(".product-grid > li").count()
    assert listed > 0

    in_stock_box = page.locator("#listing-filters input[name=in_stock]")
    if not in_stock_box.is_visible():  # folded away on a phone
        page.locator("details.filters-toggle summary").click()
    in_stock_box.check()
    page.locator("#listing-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"in_stock=1"))
    in_stock = page.locator(".product-grid > li")
    assert 0 < in_stock.count() <= listed
    screenshot("storefront-category-filtered")

    in_stock.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/p/[^/]+/$"))
    product_data = json.loads(
        page.locator('script[type="application/ld+json"]').first.inner_text()
    )
    assert product_data["@type"] == "Product"
    expect(page.locator("h1")).to_have_text(product_data["name"])
    expect(page.locator(".variant-picker")).to_be_visible()
    screenshot("storefront-product")

    page.locator(".language-switcher select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("form.search button")).to_have_text("Search")
    expect(page).to_have_url(re.compile(r"/p/[^/]+/$"))
    screenshot("storefront-product-en")
