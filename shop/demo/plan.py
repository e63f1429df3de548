"""What the demo shop contains, worked out without touching the database.

`catalogue_plan(count)` and `shopper_plan(count)` turn the written data in
`shop.demo.data` into fully resolved rows (prices, stock, SKUs, descriptions,
names, addresses). Every random choice is seeded by the row's own key, so the
same count always gives the same shop and a larger count only adds to a
smaller one: `seed_demo --products 30` then `seed_demo` ends up where `seed_demo`
alone would.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice

from shop.demo.data.attributes import ATTRIBUTES
from shop.demo.data.catalog import BRANDS, EDITIONS, TOP_CATEGORIES
from shop.demo.data.people import DISTRICTS, GIVEN_NAMES, SURNAMES
from shop.demo.data.specs import LeafSpec, ProductSpec, TopSpec
from shop.demo.images import PATTERNS

IMAGES_PER_LEAF = 3
COLOUR_OPTION = "顏色"
_TEN = Decimal(10)
_SALE_FACTORS = ("1.15", "1.2", "1.25", "1.3", "1.5")
# Days the first product of every category has been on sale before the others'
# random dates (up to 240 days): longer than any demo order history.
FIRST_PRODUCTS_ON_SALE_DAYS = 400

BRAND_NAMES = dict(BRANDS)
# attribute slug → {value: value slug}
ATTRIBUTE_VALUE_SLUGS = {slug: dict(values) for slug, _name, values in ATTRIBUTES}
BASE_PRODUCT_COUNT = sum(
    len(leaf.products) for top in TOP_CATEGORIES for leaf in top.leaves
)


def whole_tens(amount: Decimal) -> Decimal:
    """Round to a whole ten dollars, as shops price: 777 → 780."""
    return (amount / _TEN).quantize(Decimal(1), rounding=ROUND_HALF_UP) * _TEN


@dataclass(frozen=True)
class ImageKey:
    """One picture of the shared pool: a leaf category and a pattern."""

    leaf: str
    pattern: str
    palette: tuple[tuple[int, int, int], ...]

    @property
    def seed(self) -> str:
        return f"{self.leaf}:{self.pattern}"


@dataclass(frozen=True)
class PlannedVariant:
    sku: str
    option1: str
    option2: str
    price: Decimal
    compare_at_price: Decimal | None
    stock: int
    weight_grams: int
    position: int


@dataclass(frozen=True)
class PlannedProduct:
    slug: str
    title: str
    top: TopSpec
    leaf: LeafSpec
    brand: str
    description: str
    size_guide: str
    non_returnable_reason: str
    option1_name: str
    option2_name: str
    attributes: tuple[tuple[str, str], ...]  # (attribute slug, value slug)
    variants: tuple[PlannedVariant, ...]
    featured: bool
    published_ago: datetime.timedelta
    images: tuple[ImageKey, ...]
    seo_title: str
    seo_description: str


def leaf_image_keys(top: TopSpec, leaf_index: int, leaf: LeafSpec) -> list[ImageKey]:
    """The pool pictures of one leaf; siblings start at different patterns."""
    start = leaf_index * IMAGES_PER_LEAF
    return [
        ImageKey(leaf.slug, PATTERNS[(start + i) % len(PATTERNS)], top.palette)
        for i in range(IMAGES_PER_LEAF)
    ]


def _attribute_pairs(spec: ProductSpec) -> tuple[tuple[str, str], ...]:
    pairs = []
    for attribute, values in spec.attributes.items():
        for value in (values,) if isinstance(values, str) else values:
            pairs.append((attribute, ATTRIBUTE_VALUE_SLUGS[attribute][value]))
    return tuple(pairs)


def _description(spec: ProductSpec, leaf: LeafSpec, title: str) -> str:
    fields = {
        attribute: values if isinstance(values, str) else "、".join(values)
        for attribute, values in spec.attributes.items()
    }
    fields.update(brand=BRAND_NAMES[spec.brand], title=title)
    return f"{spec.notes}\n\n{leaf.body.format_map(fields)}"


def _variants(
    spec: ProductSpec, leaf: LeafSpec, number: int, base_price: Decimal, rng
) -> list[PlannedVariant]:
    option_values = list(leaf.option.values) if leaf.option else [None]
    colours = list(spec.colors) or [""]
    on_sale = rng.random() < 0.22
    sale_factor = Decimal(rng.choice(_SALE_FACTORS))
    sold_out = rng.random() < 0.04
    variants = []
    for value in option_values:
        for colour in colours:
            position = len(variants)
            price = whole_tens(base_price * Decimal(value.factor if value else "1"))
            if sold_out or rng.random() < 0.05:
                stock = 0
            elif rng.random() < 0.1:
                stock = rng.randint(1, 3)  # "only a few left"
            else:
                stock = rng.randint(8, 120)
            variants.append(
                PlannedVariant(
                    sku=f"{leaf.code}-{number:04d}-{position + 1:02d}",
                    option1=value.label if value else colour,
                    option2=colour if value else "",
                    price=price,
                    compare_at_price=whole_tens(price * sale_factor)
                    if on_sale
                    else None,
                    stock=stock,
                    weight_grams=(value.weight_grams if value else None)
                    or leaf.weight_grams,
                    position=position,
                )
            )
    return variants


def _planned_product(
    top: TopSpec, leaf: LeafSpec, leaf_index: int, index: int, round_: int
) -> PlannedProduct:
    spec = leaf.products[index]
    number = round_ * len(leaf.products) + index + 1
    if round_ == 0:
        slug, title = spec.slug, spec.title
    else:
        edition = EDITIONS[(round_ - 1) % len(EDITIONS)]
        lap = (round_ - 1) // len(EDITIONS)
        label = f"{edition} No.{lap + 1}" if lap else edition
        slug, title = f"{spec.slug}-{round_ + 1}", f"{spec.title}（{label}）"
    rng = random.Random(slug)
    base_price = Decimal(spec.price)
    if round_:
        base_price = whole_tens(
            base_price * Decimal(rng.choice(("0.9", "1", "1.1", "1.2")))
        )
    options = [leaf.option.name] if leaf.option else []
    if spec.colors:
        options.append(COLOUR_OPTION)
    options += ["", ""]
    pool = leaf_image_keys(top, leaf_index, leaf)
    image_count = 2 if spec.featured or number % 3 == 0 else 1
    variants = tuple(_variants(spec, leaf, number, base_price, rng))
    published_ago = datetime.timedelta(
        days=rng.randint(0, 240), minutes=rng.randint(5, 24 * 60)
    )
    if number == 1:
        # Each category's first product has been on sale from the start: the
        # demo's order histories, up to a year back, buy them.
        published_ago += datetime.timedelta(days=FIRST_PRODUCTS_ON_SALE_DAYS)
    return PlannedProduct(
        slug=slug,
        title=title,
        top=top,
        leaf=leaf,
        brand=spec.brand,
        description=_description(spec, leaf, title),
        size_guide=leaf.size_guide,
        non_returnable_reason=leaf.non_returnable_reason,
        option1_name=options[0],
        option2_name=options[1],
        attributes=_attribute_pairs(spec),
        variants=variants,
        featured=spec.featured and round_ == 0,
        published_ago=published_ago,
        images=tuple(pool[(number + k) % len(pool)] for k in range(image_count)),
        seo_title=f"{title}｜{BRAND_NAMES[spec.brand]}"[:70],
        seo_description=spec.notes[:160],
    )


def _product_positions():
    """(top, leaf, leaf index, product index, round) forever, round-robin by leaf.

    Round-robin means even a small catalogue fills every category.
    """
    leaves = [
        (top, leaf, leaf_index)
        for top in TOP_CATEGORIES
        for leaf_index, leaf in enumerate(top.leaves)
    ]
    longest = max(len(leaf.products) for _t, leaf, _i in leaves)
    round_ = 0
    while True:
        for index in range(longest):
            for top, leaf, leaf_index in leaves:
                if index < len(leaf.products):
                    yield top, leaf, leaf_index, index, round_
        round_ += 1


def catalogue_plan(count: int) -> list[PlannedProduct]:
    """The first `count` products of the demo catalogue."""
    return [
        _planned_product(*position) for position in islice(_product_positions(), count)
    ]


@dataclass(frozen=True)
class PlannedAddress:
    recipient_name: str
    phone: str
    postal_code: str
    city: str
    district: str
    street: str
    is_default: bool


@dataclass(frozen=True)
class PlannedShopper:
    email: str
    name: str
    phone: str
    birthday: datetime.date | None
    joined_ago: datetime.timedelta
    accepts_email_marketing: bool
    accepts_sms_marketing: bool
    addresses: tuple[PlannedAddress, ...]


# Shoppers whose story the demo tells (README, "Loyalty programme in the demo")
# joined long enough ago for it: member2 has points from last year about to
# expire. Days ago; the other shoppers' dates are random.
_JOINED_DAYS_AGO = {2: 430}


def shopper_email(number: int) -> str:
    return f"member{number}@example.com"


def _mobile(rng) -> str:
    return f"+8869{rng.randint(0, 99_999_999):08d}"


def _address(rng, recipient: str, phone: str, is_default: bool) -> PlannedAddress:
    city, district, postal_code, streets = rng.choice(DISTRICTS)
    number = rng.randint(1, 320)
    floor = rng.choice(
        ("", f"{rng.randint(2, 15)}樓", f"{rng.randint(2, 12)}樓之{rng.randint(1, 5)}")
    )
    lane = rng.choice(("", "", f"{rng.randint(2, 150)}巷"))
    return PlannedAddress(
        recipient_name=recipient,
        phone=phone,
        postal_code=postal_code,
        city=city,
        district=district,
        street=f"{rng.choice(streets)}{lane}{number}號{floor}",
        is_default=is_default,
    )


def planned_shopper(number: int) -> PlannedShopper:
    rng = random.Random(f"shopper:{number}")
    name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
    phone = _mobile(rng)
    birthday = (
        datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 46 * 365))
        if rng.random() < 0.9
        else None
    )
    addresses = [_address(rng, name, phone, True)]
    if rng.random() < 0.3:
        # A second address for someone else, e.g. parents or the office.
        other = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        addresses.append(_address(rng, other, _mobile(rng), False))
    joined_ago = datetime.timedelta(
        days=rng.randint(1, 730), minutes=rng.randint(0, 1440)
    )
    if number in _JOINED_DAYS_AGO:
        joined_ago = datetime.timedelta(
            days=_JOINED_DAYS_AGO[number], minutes=joined_ago.seconds // 60
        )
    return PlannedShopper(
        email=shopper_email(number),
        name=name,
        phone=phone,
        birthday=birthday,
        joined_ago=joined_ago,
        accepts_email_marketing=rng.random() < 0.6,
        accepts_sms_marketing=rng.random() < 0.35,
        addresses=tuple(addresses),
    )


def shopper_plan(count: int) -> list[PlannedShopper]:
    """Shoppers member1@example.com … member<count>@example.com."""
    return [planned_shopper(number) for number in range(1, count + 1)]
