"""Writes that fill the database with the demo shop (and take it out again).

Every seed function creates what is missing and leaves what exists alone:
categories, brands and attributes by slug, products by slug (their variants
only with them), users by email. Running the seed twice therefore changes
nothing, and a merchant's edits to demo rows survive a second run.

Rows are written with `bulk_create` in batches, so a benchmark-sized shop
(2,000 products, 10,000 shoppers) seeds in seconds. Bulk writes skip model
`save()`, so the derived data the services of other apps keep is written here
too: a stock ledger row per stocked variant (the ledger must add up to the
stock), search documents (through `catalog.services.products_saved`) and
picture renditions (through `catalog.images.render_renditions`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.accounts.models import Address, ConsentRecord, User
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
from shop.catalog.services import product_image_files_delete, products_saved
from shop.core.errors import ShopError
from shop.core.roles import CUSTOMER_SERVICE, MERCHANT, RETURNS_STAFF
from shop.demo.data.attributes import ATTRIBUTES
from shop.demo.data.catalog import BRANDS, TOP_CATEGORIES
from shop.demo.images import PATTERNS, PoolPicture, pool_picture
from shop.demo.plan import (
    ImageKey,
    PlannedProduct,
    catalogue_plan,
    leaf_image_keys,
    shopper_plan,
)

DEMO_PASSWORD = "demo1234"
BATCH_SIZE = 500
STOCK_REFERENCE = "seed_demo"

# (email, name, role group, superuser)
STAFF = (
    ("merchant@example.com", "林美君", MERCHANT, True),
    ("service@example.com", "陳怡安", CUSTOMER_SERVICE, False),
    ("returns@example.com", "王建志", RETURNS_STAFF, False),
)

Progress = Callable[[int], object]


def _no_progress(_done: int) -> None:
    return None


def _batches(items: Sequence, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@functools.cache
def demo_password_hash() -> str:
    """The hash of the demo password, made once and shared by every demo user.

    Hashing is deliberately slow (hundreds of milliseconds), so hashing it per
    user would make 10,000 shoppers take an hour.
    """
    return make_password(DEMO_PASSWORD)


# --- Catalogue ------------------------------------------------------------------


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
    *, products: int, progress: Progress = _no_progress
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
    for batch in _batches([plan.slug for plan in planned]):
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
        for batch in _batches(missing):
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


# --- People ---------------------------------------------------------------------


@dataclass(frozen=True)
class StaffLogin:
    email: str
    role: str
    created: bool


def demo_staff_seed() -> list[StaffLogin]:
    """The merchant (a superuser) and one staff user per role, password demo1234.

    Existing users keep their password and details; they are only put back
    into their role group.
    """
    groups = {
        group.name: group
        for group in Group.objects.filter(name__in=[s[2] for s in STAFF])
    }
    missing = {role for _e, _n, role, _s in STAFF} - set(groups)
    if missing:
        raise ShopError(
            _("The staff role groups are missing (%(groups)s); run migrate first.")
            % {"groups": ", ".join(sorted(missing))}
        )
    logins = []
    with transaction.atomic():
        for email, name, role, superuser in STAFF:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "name": name,
                    "password": demo_password_hash,  # hashed only if created
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            user.groups.add(groups[role])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            logins.append(StaffLogin(email=email, role=role, created=created))
    return logins


def demo_shoppers_seed(*, customers: int, progress: Progress = _no_progress) -> int:
    """Create shoppers member1@example.com … member<customers>@example.com.

    Each has a name, a Taiwan mobile number, usually a birthday, one or two
    addresses, marketing consents with their history, and a verified email
    address for allauth. Returns how many were created.
    """
    if customers < 0:
        raise ShopError(
            _("The number of customers cannot be negative."), field="customers"
        )
    existing = set(
        User.objects.filter(email__startswith="member", email__endswith="@example.com")
        .values_list("email", flat=True)
        .iterator()
    )
    planned = [plan for plan in shopper_plan(customers) if plan.email not in existing]
    progress(customers - len(planned))
    now = timezone.now()
    with transaction.atomic():
        for batch in _batches(planned, 1000):
            _create_shoppers(batch, password_hash=demo_password_hash(), now=now)
            progress(len(batch))
    return len(planned)


def _create_shoppers(batch, *, password_hash: str, now: datetime.datetime) -> None:
    users = User.objects.bulk_create(
        User(
            email=plan.email,
            name=plan.name,
            phone=plan.phone,
            birthday=plan.birthday,
            birthday_set_at=now - plan.joined_ago if plan.birthday else None,
            accepts_email_marketing=plan.accepts_email_marketing,
            email_marketing_changed_at=(
                now - plan.joined_ago if plan.accepts_email_marketing else None
            ),
            accepts_sms_marketing=plan.accepts_sms_marketing,
            sms_marketing_changed_at=(
                now - plan.joined_ago if plan.accepts_sms_marketing else None
            ),
            password=password_hash,
            date_joined=now - plan.joined_ago,
        )
        for plan in batch
    )
    pairs = list(zip(batch, users, strict=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for _plan, user in pairs
    )
    # Consents given at signup, as `accounts.services.user_consent_set` records them.
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            user=user,
            channel=channel,
            granted=True,
            source="signup",
            recorded_at=user.date_joined,
        )
        for plan, user in pairs
        for channel, granted in (
            (ConsentRecord.Channel.EMAIL, plan.accepts_email_marketing),
            (ConsentRecord.Channel.SMS, plan.accepts_sms_marketing),
        )
        if granted
    )
    Address.objects.bulk_create(
        Address(
            user=user,
            recipient_name=address.recipient_name,
            phone=address.phone,
            postal_code=address.postal_code,
            city=address.city,
            district=address.district,
            street=address.street,
            is_default=address.is_default,
        )
        for plan, user in pairs
        for address in plan.addresses
    )


# --- Reset ----------------------------------------------------------------------

DEMO_SHOPPER_EMAIL_REGEX = r"^member[0-9]+@example\.com$"


def demo_data_reset() -> tuple[int, int]:
    """Delete the demo products (every product in a demo category) and shoppers.

    Categories, brands, attributes and staff users stay, so a following seed
    reuses them. Picture files are deleted once the transaction commits.
    Returns (products deleted, shoppers deleted).
    """
    slugs = [top.slug for top in TOP_CATEGORIES] + [
        leaf.slug for top in TOP_CATEGORIES for leaf in top.leaves
    ]
    with transaction.atomic():
        products = Product.objects.filter(category__slug__in=slugs)
        product_image_files_delete(
            images=ProductImage.objects.filter(product__in=products).only(
                "image", "thumbnail", "display"
            )
        )
        product_count = products.count()
        products.delete()
        shoppers = User.objects.filter(
            email__regex=DEMO_SHOPPER_EMAIL_REGEX, is_staff=False
        )
        shopper_count = shoppers.count()
        shoppers.delete()
    return product_count, shopper_count
