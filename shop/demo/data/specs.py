"""The shapes the demo catalogue is written in."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OptionValue:
    label: str
    # Price factor against the product's base price, as a string so no float
    # ever touches money ("1.8" for a pound of beans against half a pound).
    factor: str = "1"
    weight_grams: int | None = None


@dataclass(frozen=True)
class Option:
    name: str
    values: tuple[OptionValue, ...]


@dataclass(frozen=True)
class ProductSpec:
    slug: str
    title: str
    brand: str  # brand slug
    price: int  # whole NT$, for the first value of every option
    notes: str  # what makes this product itself; opens its description
    attributes: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    # Colours for apparel and goods that come in several; becomes the colour option.
    colors: tuple[str, ...] = ()
    featured: bool = False


@dataclass(frozen=True)
class LeafSpec:
    """A second-level category and everything its products share."""

    slug: str
    name: str
    code: str  # SKU prefix
    description: str
    products: tuple[ProductSpec, ...]
    # Rest of the description after the product's notes; `{brand}`, `{title}` and
    # any attribute slug (values joined with 、) are filled in.
    body: str
    option: Option | None = None
    weight_grams: int = 300
    size_guide: str = ""
    # Shown before purchase and frozen on the order line (hygiene products).
    non_returnable_reason: str = ""


@dataclass(frozen=True)
class TopSpec:
    slug: str
    name: str
    description: str
    leaves: tuple[LeafSpec, ...]
    # Background and accent colours of the generated product pictures.
    palette: tuple[tuple[int, int, int], ...]
