"""Seeding the demo catalogue: categories, brands, attributes, products.

Products come with their variants, stock (and its ledger rows), attribute
values and pictures; search documents are refreshed once at the end.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.catalog.models import (
    Attribute,
    AttributeValue,
    Brand,
    Category,
    Product,
    ProductImage,
    StockMovement,
    Variant,
)
from shop.catalog.services import products_saved
from shop.core.errors import ShopError
from shop.demo.data.attributes import ATTRIBUTES
from shop.demo.data.catalog import BRANDS, TOP_CATEGORIES
from shop.demo.images import PATTERNS, PoolPicture, pool_picture
from shop.demo.plan import (
    ImageKey,
    PlannedProduct,
    catalogue_plan,
    leaf_image_keys,
)
from shop.demo.services.batches import BATCH_SIZE, Progress, batches, no_progress

STOCK_REFERENCE = "seed_demo"


@dataclass
class CatalogueSeedResult:
    products_created: int = 0
    variants_created: int = 0
    images_created: int = 0
    categories_created: int = 0
    product_ids: list[int] = field(default_factory=list)


def _seed_categories(result: CatalogueSeedResult):
    """Create the two-level category tree; returns {leaf slug: Category}."""
    leaves = {}
    for top_position, top in enumerate(TOP_CATEGORIES):
        parent = _category(
            slug=top.slug,
            name=top.name,
            description=top.description,
            position=top_position,
            parent=None,
            # Top categories sit side by side on the home page: one pattern each.
            picture=ImageKey(
                top.slug, PATTERNS[top_position % len(PATTERNS)], top.palette
            ),
            result=result,
        )
        for leaf_position, leaf in enumerate(top.leaves):
            leaves[leaf.slug] = _category(
                slug=leaf.slug,
                name=leaf.name,
                description=leaf.description,
                position=leaf_position,
                parent=parent,
                picture=leaf_image_keys(top, leaf_position, leaf)[0],
                result=result,
            )
    return leaves


def _category(
    *,
    slug: str,
    name: str,
    description: str,
    position: int,
    parent: Category | None,
    picture: ImageKey,
    result: CatalogueSeedResult,
) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is not None:
        return category
    # A category picture is a tile on the home page: the square thumbnail fits.
    thumbnail = pool_picture(
        palette=picture.palette, pattern=picture.pattern, seed=picture.seed
    ).renditions["thumbnail"]
    image_field = Category._meta.get_field("image")
    name_on_disk = image_field.storage.save(
        image_field.generate_filename(None, f"{slug}{thumbnail.extension}"),
        ContentFile(thumbnail.content),
    )
    result.categories_created += 1
    return Category.objects.create(
        slug=slug,
        name=name,
        description=description,
        position=position,
        parent=parent,
        image=name_on_disk,
        seo_description=description[:160],
    )


def _seed_brands() -> dict[str, Brand]:
    existing = {
        brand.slug: brand for brand in Brand.objects.filter(slug__in=dict(BRANDS))
    }
    for slug, name in BRANDS:
        if slug not in existing:
            existing[slug] = Brand.objects.create(slug=slug, name=name)
    return existing


def _seed_attributes() -> dict[tuple[str, str], int]:
    """Create attributes and values; returns {(attribute, value slug): value id}."""
    values = {}
    for position, (slug, name, choices) in enumerate(ATTRIBUTES):
        attribute, _created = Attribute.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
        existing = {
            value.slug: value.pk
            for value in AttributeValue.objects.filter(attribute=attribute)
        }
        for value_position, (value, value_slug) in enumerate(choices):
            if value_slug not in existing:
                existing[value_slug] = AttributeValue.objects.create(
                    attribute=attribute,
                    value=value,
                    slug=value_slug,
                    position=value_position,
                ).pk
            values[(slug, value_slug)] = existing[value_slug]
    return values


def _render_pool(keys: Iterable[ImageKey]) -> dict[ImageKey, PoolPicture]:
    keys = list(dict.fromkeys(keys))
    # Pillow releases the GIL while resizing and encoding, so threads overlap.
    with ThreadPoolExecutor(max_workers=4) as executor:
        pictures = executor.map(
            lambda key: pool_picture(
                palette=key.palette, pattern=key.pattern, seed=key.seed
            ),
            keys,
        )
        return dict(zip(keys, pictures, strict=True))


def _create_products(
    planned: Sequence[PlannedProduct],
    *,
    leaves: dict[str, Category],
    brands: dict[str, Brand],
    attribute_values: dict[tuple[str, str], int],
    pool: dict[ImageKey, PoolPicture],
    now: datetime.datetime,
    result: CatalogueSeedResult,
) -> None:
    products = Product.objects.bulk_create(
        Product(
            slug=plan.slug,
            title=plan.title,
            category=leaves[plan.leaf.slug],
            brand=brands[plan.brand],
            description=plan.description,
            size_guide=plan.size_guide,
            non_returnable_reason=plan.non_returnable_reason,
            status=Product.Status.ACTIVE,
            published_at=now - plan.published_ago,
            is_featured=plan.featured,
            option1_name=plan.option1_name,
            option2_name=plan.option2_name,
            seo_title=plan.seo_title,
            seo_description=plan.seo_description,
        )
        for plan in planned
    )
    pairs = list(zip(planned, products, strict=True))
    variants = Variant.objects.bulk_create(
        Variant(
            product=product,
            sku=v.sku,
            option1=v.option1,
            option2=v.option2,
            price=v.price,
            compare_at_price=v.compare_at_price,
            stock=v.stock,
            weight_grams=v.weight_grams,
            position=v.position,
        )
        for plan, product in pairs
        for v in plan.variants
    )
    StockMovement.objects.bulk_create(
        StockMovement(
            variant=variant,
            delta=variant.stock,
            stock_after=variant.stock,
            reason=StockMovement.Reason.IMPORT,
            reference=STOCK_REFERENCE,
            idempotency_key=f"{STOCK_REFERENCE}:{variant.sku}",
        )
        for variant in variants
        if variant.stock
    )
    Product.attribute_values.through.objects.bulk_create(
        Product.attribute_values.through(
            product_id=product.pk, attributevalue_id=attribute_values[pair]
        )
        for plan, product in pairs
        for pair in plan.attributes
    )
    result.images_created += _create_images(pairs, pool)
    result.products_created += len(products)
    result.variants_created += len(variants)
    result.product_ids += [product.pk for product in products]


def _create_images(pairs, pool: dict[ImageKey, PoolPicture]) -> int:
    """Give each product its own copies of its pool pictures and their renditions.

    Copies rather than shared files: deleting one product's picture in the back
    office deletes its files, which must not take other products' pictures along.
    """
    image_field = ProductImage._meta.get_field("image")
    storage = image_field.storage
    images = []
    for plan, product in pairs:
        for position, key in enumerate(plan.images):
            picture = pool[key]
            name = storage.save(
                image_field.generate_filename(None, f"{plan.slug}-{position + 1}.jpg"),
                ContentFile(picture.original),
            )
            images.append(
                ProductImage(
                    product=product,
                    image=name,
                    width=picture.size,
                    height=picture.size,
                    alt_text=plan.title,
                    position=position,
                )
            )
    images = ProductImage.objects.bulk_create(images)
    pictures = [pool[key] for plan, _product in pairs for key in plan.images]
    for image, picture in zip(images, pictures, strict=True):
        stem = PurePosixPath(image.image.name).stem
        for name, rendition in picture.renditions.items():
            rendition_field = ProductImage._meta.get_field(name)
            path = rendition_field.generate_filename(
                image, f"{image.pk}-{stem}{rendition.extension}"
            )
            setattr(
                image,
                name,
                rendition_field.storage.save(path, ContentFile(rendition.content)),
            )
    ProductImage.objects.bulk_update(
        images, ["thumbnail", "display"], batch_size=BATCH_SIZE
    )
    return len(images)


def demo_catalogue_seed(
    *, products: int, progress: Progress = no_progress
) -> CatalogueSeedResult:
    """Create the demo catalogue's first `products` products and all it needs.

    Categories, brands and attribute values are created in full whatever the
    count. `progress` is called with the number of products handled per batch.
    """
    if products < 0:
        raise ShopError(
            _("The number of products cannot be negative."), field="products"
        )
    result = CatalogueSeedResult()
    planned = catalogue_plan(products)
    existing = set()
    for batch in batches([plan.slug for plan in planned]):
        existing.update(
            Product.objects.filter(slug__in=batch).values_list("slug", flat=True)
        )
    missing = [plan for plan in planned if plan.slug not in existing]
    progress(len(planned) - len(missing))

    pool = _render_pool(key for plan in missing for key in plan.images)
    now = timezone.now()
    with transaction.atomic():
        leaves = _seed_categories(result)
        brands = _seed_brands()
        attribute_values = _seed_attributes()
        for batch in batches(missing):
            _create_products(
                batch,
                leaves=leaves,
                brands=brands,
                attribute_values=attribute_values,
                pool=pool,
                now=now,
                result=result,
            )
            progress(len(batch))
        products_saved(product_ids=result.product_ids)
    return result
