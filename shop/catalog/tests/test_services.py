from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.accounts.tests.factories import StaffFactory
from shop.catalog import services
from shop.catalog.models import Product, StockMovement, Variant
from shop.catalog.tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_publish_activates_and_stamps_only_products_without_a_time():
    now = timezone.now()
    later = now + timedelta(days=3)
    draft = ProductFactory(status=Product.Status.DRAFT, published_at=None)
    scheduled = ProductFactory(status=Product.Status.DRAFT, published_at=later)
    archived = ProductFactory(status=Product.Status.ARCHIVED)
    live = ProductFactory()
    live_since = live.published_at

    changed = services.products_publish(
        product_ids=[draft.pk, scheduled.pk, archived.pk, live.pk], now=now
    )

    assert changed == 3
    for product in (draft, scheduled, archived, live):
        product.refresh_from_db()
        assert product.status == Product.Status.ACTIVE
    assert draft.published_at == now
    assert scheduled.published_at == later
    assert live.published_at == live_since


def test_archive_changes_only_products_not_yet_archived():
    active = ProductFactory()
    archived = ProductFactory(status=Product.Status.ARCHIVED)
    other = ProductFactory()

    assert services.products_archive(product_ids=[active.pk, archived.pk]) == 1

    active.refresh_from_db()
    other.refresh_from_db()
    assert active.status == Product.Status.ARCHIVED
    assert other.status == Product.Status.ACTIVE


def test_product_saved_refreshes_the_search_document():
    product = ProductFactory(title="Ethiopia Yirgacheffe")
    VariantFactory(product=product, sku="ETH-250")
    Product.objects.filter(pk=product.pk).update(search_document="")

    services.product_saved(product=product)

    product.refresh_from_db()
    assert "ethiopia yirgacheffe" in product.search_document
    assert "eth-250" in product.search_document


def test_a_new_variant_enters_its_stock_through_the_ledger():
    staff = StaffFactory()
    product = ProductFactory()
    variant = Variant(product=product, sku="NEW-1", price=Decimal("450"), stock=99)

    services.variant_save(variant=variant, stock=12, actor=staff, note="first count")

    variant.refresh_from_db()
    assert variant.stock == 12
    [movement] = StockMovement.objects.filter(variant=variant)
    assert (movement.delta, movement.stock_after) == (12, 12)
    assert movement.reason == StockMovement.Reason.ADJUSTMENT
    assert movement.actor == staff
    assert movement.reference == "first count"


def test_a_new_variant_without_a_count_starts_empty():
    variant = Variant(
        product=ProductFactory(), sku="NEW-2", price=Decimal("1"), stock=7
    )

    services.variant_save(variant=variant)

    variant.refresh_from_db()
    assert variant.stock == 0
    assert not StockMovement.objects.exists()


def test_saving_other_fields_never_overwrites_stock_sold_meanwhile():
    variant = VariantFactory(stock=5)
    # A shopper buys two while the merchant edits the price.
    Variant.objects.filter(pk=variant.pk).update(stock=3)
    variant.price = Decimal("999")

    services.variant_save(variant=variant)

    variant.refresh_from_db()
    assert (variant.price, variant.stock) == (Decimal("999.00"), 3)
    assert not StockMovement.objects.exists()


def test_a_counted_stock_records_the_difference():
    variant = VariantFactory(stock=5)

    services.variant_save(variant=variant, stock=8)
    services.variant_save(variant=variant, stock=8)

    variant.refresh_from_db()
    assert variant.stock == 8
    assert list(StockMovement.objects.values_list("delta", "stock_after")) == [(3, 8)]
