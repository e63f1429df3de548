"""Stock changes: conditional updates that never go below zero, each ledgered."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shop.catalog.models import StockMovement, Variant
from shop.core.errors import ShopError


class OutOfStock(ShopError):
    def __init__(self, variant: Variant, available: int):
        self.variant = variant
        self.available = available
        if available:
            message = _("Only %(count)s left of %(item)s.") % {
                "count": available,
                "item": variant,
            }
        else:
            message = _("%(item)s has just sold out.") % {"item": variant}
        super().__init__(message, code="out_of_stock")


def stock_take(
    *, items: Mapping[int, int], reason: str, reference: str, actor=None
) -> None:
    """Take `items` ({variant_id: quantity}) out of stock, all or nothing.

    Each decrement is one `UPDATE … WHERE stock >= quantity`, so two buyers of the
    last unit cannot both succeed; variants are taken in id order so concurrent
    orders lock rows in the same order and cannot deadlock. Raises OutOfStock
    (rolling back the caller's transaction) for the first variant short of stock.
    """
    with transaction.atomic():
        movements = []
        for variant_id in sorted(items):
            quantity = items[variant_id]
            taken = Variant.objects.filter(pk=variant_id, stock__gte=quantity).update(
                stock=F("stock") - quantity
            )
            if not taken:
                variant = Variant.objects.select_related("product").get(pk=variant_id)
                raise OutOfStock(variant, variant.stock)
            # A narrow read on success: placing an order takes several variants.
            stock_after = (
                Variant.objects.filter(pk=variant_id)
                .values_list("stock", flat=True)
                .get()
            )
            movements.append(
                StockMovement(
                    variant_id=variant_id,
                    delta=-quantity,
                    stock_after=stock_after,
                    reason=reason,
                    reference=reference,
                    actor=actor,
                    idempotency_key=f"{reason}:{reference}:{variant_id}",
                )
            )
        StockMovement.objects.bulk_create(movements)


def stock_return(
    *, items: Mapping[int, int], reason: str, reference: str, actor=None
) -> bool:
    """Put `items` back once per (reason, reference); False if that was done already."""
    try:
        with transaction.atomic():
            for variant_id in sorted(items):
                Variant.objects.filter(pk=variant_id).update(
                    stock=F("stock") + items[variant_id]
                )
            after = dict(
                Variant.objects.filter(pk__in=items).values_list("pk", "stock")
            )
            StockMovement.objects.bulk_create(
                StockMovement(
                    variant_id=variant_id,
                    delta=items[variant_id],
                    stock_after=after[variant_id],
                    reason=reason,
                    reference=reference,
                    actor=actor,
                    idempotency_key=f"{reason}:{reference}:{variant_id}",
                )
                for variant_id in sorted(items)
            )
    except IntegrityError:
        return False
    return True


def stock_set(
    *,
    variant: Variant,
    stock: int,
    actor=None,
    note: str = "",
    reason: str = StockMovement.Reason.ADJUSTMENT,
) -> None:
    """Set a variant's stock to a counted figure (back office, import), recording the
    difference as a movement with `reason`."""
    if stock < 0:
        raise ShopError(_("Stock cannot be negative."), field="stock")
    with transaction.atomic():
        locked = Variant.objects.select_for_update().get(pk=variant.pk)
        delta = stock - locked.stock
        if delta == 0:
            return
        Variant.objects.filter(pk=locked.pk).update(stock=stock)
        StockMovement.objects.create(
            variant=locked,
            delta=delta,
            stock_after=stock,
            reason=reason,
            reference=note[:100],
            actor=actor,
        )
    variant.stock = stock


def stock_differences() -> list[tuple[int, str, int, int]]:
    """Variants whose stock is not the sum of their ledger rows:
    (variant id, SKU, stock, ledger sum), in id order; empty when all agree."""
    ledger = (
        StockMovement.objects.filter(variant=OuterRef("pk"))
        .order_by()
        .values("variant")
        .annotate(total=Sum("delta"))
        .values("total")
    )
    rows = (
        Variant.objects.annotate(ledger=Coalesce(Subquery(ledger), 0))
        .exclude(stock=F("ledger"))
        .order_by("pk")
        .values_list("pk", "sku", "stock", "ledger")
    )
    return list(rows)
