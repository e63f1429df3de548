"""Writes to the catalogue made by the back office, the CSV import and tasks."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from shop.catalog import images as image_rules
from shop.catalog.errors import ProductImageRejected
from shop.catalog.models import Product, ProductImage, StockMovement, Variant
from shop.catalog.search import refresh_search_documents
from shop.catalog.stock import stock_set

logger = logging.getLogger(__name__)

RENDITION_FIELDS = ("thumbnail", "display")
# Every stored column except stock, which only the stock ledger writes.
_VARIANT_FIELDS_BUT_STOCK = [
    field.name
    for field in Variant._meta.concrete_fields
    if not field.primary_key and field.name != "stock"
]


def products_saved(*, product_ids: Iterable[int]) -> None:
    """Bring derived data (the search documents) up to date after products changed."""
    refresh_search_documents(product_ids=product_ids)


def product_saved(*, product: Product) -> None:
    """Hook for the doors after one product and its variants were saved."""
    products_saved(product_ids=[product.pk])


def products_publish(*, product_ids: Iterable[int], now: datetime | None = None) -> int:
    """Make products active; those without a publish time are published `now`.

    A publish time already set (perhaps in the future) is kept. Returns the
    number of products changed.
    """
    now = now or timezone.now()
    return (
        Product.objects.filter(pk__in=list(product_ids))
        .exclude(status=Product.Status.ACTIVE, published_at__isnull=False)
        .update(
            status=Product.Status.ACTIVE,
            published_at=Coalesce("published_at", Value(now)),
            updated_at=now,
        )
    )


def products_archive(*, product_ids: Iterable[int]) -> int:
    """Take products out of the shop without deleting them (orders refer to them)."""
    return (
        Product.objects.filter(pk__in=list(product_ids))
        .exclude(status=Product.Status.ARCHIVED)
        .update(status=Product.Status.ARCHIVED, updated_at=timezone.now())
    )


def variant_save(
    *,
    variant: Variant,
    stock: int | None = None,
    actor=None,
    note: str = "",
    reason: str = StockMovement.Reason.ADJUSTMENT,
) -> Variant:
    """Save `variant`; `stock`, when given, is a counted figure for the stock ledger.

    The stock column is never written directly, so every change leaves a
    movement row and the ledger keeps adding up to the cached stock. Without
    `stock` the stored figure stands (a new variant starts at 0), so editing a
    price cannot undo a sale made while the form was open.
    """
    with transaction.atomic():
        if variant.pk is None:
            variant.stock = 0
            variant.save()
        else:
            variant.save(update_fields=_VARIANT_FIELDS_BUT_STOCK)
        if stock is not None:
            stock_set(
                variant=variant, stock=stock, actor=actor, note=note, reason=reason
            )
    return variant


def _queue_renditions(image_ids: list[int]) -> None:
    from shop.catalog.tasks import generate_product_image_renditions

    for image_id in image_ids:
        transaction.on_commit(
            lambda image_id=image_id: generate_product_image_renditions.delay(image_id)
        )


def _delete_files_on_commit(names: Iterable[str]) -> None:
    storage = ProductImage._meta.get_field("image").storage
    names = [name for name in names if name]

    def delete():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def product_images_add(
    *, product: Product, files: Iterable, alt_text: str = ""
) -> list[ProductImage]:
    """Validate and attach pictures to `product`, after the ones it already has.

    Raises `ProductImageRejected` (naming the file) for the first bad picture
    and adds none then. Renditions are made by a task once the transaction
    commits.
    """
    files = list(files)
    for file in files:
        try:
            image_rules.validate_product_image(file)
        except ValidationError as exc:
            name = PurePosixPath(getattr(file, "name", "") or "").name
            message = " ".join(exc.messages)
            raise ProductImageRejected(
                f"{name}: {message}" if name else message, code=exc.code or "invalid"
            ) from exc
    with transaction.atomic():
        last = product.images.aggregate(last=Max("position"))["last"]
        start = 0 if last is None else last + 1
        added = [
            ProductImage.objects.create(
                product=product, image=file, alt_text=alt_text, position=start + i
            )
            for i, file in enumerate(files)
        ]
    _queue_renditions([image.pk for image in added])
    return added


def product_images_file_changed(*, images: Iterable[ProductImage]) -> None:
    """Call after images were created or got a new file: renditions are remade.

    Old renditions are forgotten at once (the original stands in until the
    task has run) and their files deleted when the transaction commits.
    """
    images = [image for image in images if image.pk]
    stale = [getattr(image, name).name for image in images for name in RENDITION_FIELDS]
    ProductImage.objects.filter(pk__in=[image.pk for image in images]).update(
        thumbnail="", display=""
    )
    for image in images:
        image.thumbnail = image.display = ""
    _delete_files_on_commit(stale)
    _queue_renditions([image.pk for image in images])


def product_image_files_delete(*, images: Iterable[ProductImage]) -> None:
    """Delete the stored files of images whose rows were deleted, after commit."""
    _delete_files_on_commit(
        getattr(image, name).name
        for image in images
        for name in ("image", *RENDITION_FIELDS)
    )


def product_image_renditions_generate(*, image_id: int) -> bool:
    """Make the thumbnail and display pictures of one image; True if stored.

    Idempotent: rendition names derive from the image, and earlier files are
    replaced. If the original was replaced while this ran, nothing is stored
    (the task queued for the new file does the work).
    """
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None or not image.image:
        return False
    try:
        with image.image.open("rb") as source:
            renditions = image_rules.render_renditions(source)
    except Exception:
        # A damaged or missing original must not make the task retry forever;
        # the nightly sweep tries again once someone fixes the file.
        logger.warning("cannot render product image %s", image_id, exc_info=True)
        return False

    stem = PurePosixPath(image.image.name).stem
    stored = {}
    for name, rendition in renditions.items():
        field = ProductImage._meta.get_field(name)
        path = field.generate_filename(image, f"{image.pk}-{stem}{rendition.extension}")
        for old in {getattr(image, name).name, path}:
            if old and field.storage.exists(old):
                field.storage.delete(old)
        stored[name] = field.storage.save(path, ContentFile(rendition.content))

    updated = ProductImage.objects.filter(pk=image.pk, image=image.image.name).update(
        **stored
    )
    if not updated:
        for name, path in stored.items():
            ProductImage._meta.get_field(name).storage.delete(path)
        return False
    return True


def product_images_missing_renditions_queue() -> int:
    """Queue rendition tasks for every image lacking one; returns how many."""
    image_ids = list(
        ProductImage.objects.filter(Q(thumbnail="") | Q(display=""))
        .exclude(image="")
        .values_list("pk", flat=True)
    )
    _queue_renditions(image_ids)
    return len(image_ids)
