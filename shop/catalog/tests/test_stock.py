import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shop.catalog.models import StockMovement
from shop.catalog.stock import (
    OutOfStock,
    stock_differences,
    stock_return,
    stock_set,
    stock_take,
)
from shop.catalog.tests.factories import VariantFactory

pytestmark = pytest.mark.django_db

ORDER = StockMovement.Reason.ORDER_PLACED
CANCEL = StockMovement.Reason.ORDER_CANCELLED


def counted(stock):
    """A variant whose stock was set through the ledger, as the back office does."""
    variant = VariantFactory(stock=0)
    stock_set(variant=variant, stock=stock, note="count")
    return variant


def test_take_is_all_or_nothing_and_leaves_a_row_per_variant():
    plenty, short = counted(5), counted(1)
    with pytest.raises(OutOfStock) as refused:
        stock_take(items={plenty.pk: 2, short.pk: 2}, reason=ORDER, reference="A1")
    assert refused.value.available == 1
    plenty.refresh_from_db()
    assert plenty.stock == 5
    assert not StockMovement.objects.filter(reason=ORDER).exists()

    stock_take(items={plenty.pk: 2, short.pk: 1}, reason=ORDER, reference="A2")
    assert sorted(
        StockMovement.objects.filter(reason=ORDER).values_list("delta", "stock_after")
    ) == [(-2, 3), (-1, 0)]


def test_return_happens_once_per_reference():
    variant = counted(3)
    stock_take(items={variant.pk: 2}, reason=ORDER, reference="B1")
    assert stock_return(items={variant.pk: 2}, reason=CANCEL, reference="B1") is True
    assert stock_return(items={variant.pk: 2}, reason=CANCEL, reference="B1") is False
    variant.refresh_from_db()
    assert variant.stock == 3


def test_reconciliation_finds_stock_written_around_the_ledger():
    agreeing = counted(4)
    stock_take(items={agreeing.pk: 1}, reason=ORDER, reference="C1")
    call_command("reconcile_stock")
    assert stock_differences() == []

    drifted = counted(2)
    type(drifted).objects.filter(pk=drifted.pk).update(stock=9)

    assert stock_differences() == [(drifted.pk, drifted.sku, 9, 2)]
    with pytest.raises(CommandError, match="1 variants differ"):
        call_command("reconcile_stock")
