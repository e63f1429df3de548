"""Listing filters shared by the storefront pages and the API.

Query parameters (all optional, repeatable where noted):

- `price_min`, `price_max`: bounds on the product's cheapest active variant
  price (`min_price`, annotated by `selectors.product_listing`), inclusive.
- `in_stock`: `true`/`1`/`on` keeps products with a variant in stock; anything
  else (or absent) does not filter.
- `attr` (repeatable): `<attribute slug>:<value slug>`, e.g. `attr=roast:medium`.
  Values of one attribute are alternatives (medium OR dark); different
  attributes must all match (roast AND origin).
- `brand` (repeatable): brand slug; any of them.

Malformed values become form errors (`filterset.errors`) and that filter is
ignored; the page still renders and the API answers 400 with field errors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from shop.catalog.models import Product

_SLUG = re.compile(r"^[-\w]+\Z")
_MAX_CHOICES = 30

# Sort keys accepted by selectors.product_listing, with their labels.
ORDERING_CHOICES = [
    ("relevance", _("Best match")),
    ("newest", _("Newest")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("name", _("Name")),
]


class SlugListField(forms.Field):
    """A repeated query parameter whose every value must look like a slug."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("“%(value)s” is not a valid choice."),
        "too_many": _("Choose at most %(limit)d values."),
    }

    def __init__(self, *, pair: bool = False, **kwargs):
        # `pair`: each value is "<attribute>:<value>" rather than one slug.
        self.pair = pair
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return list(dict.fromkeys(item.strip() for item in value if item.strip()))

    def validate(self, value):
        super().validate(value)
        if len(value) > _MAX_CHOICES:
            raise ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"limit": _MAX_CHOICES},
            )
        for item in value:
            parts = item.split(":") if self.pair else [item]
            if len(parts) != (2 if self.pair else 1) or not all(
                _SLUG.match(part) for part in parts
            ):
                raise ValidationError(
                    self.error_messages["invalid"],
                    code="invalid",
                    params={"value": item[:80]},
                )


class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


class ProductFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "price_max", _("The highest price must not be below the lowest.")
            )
        return cleaned


class ProductFilter(django_filters.FilterSet):
    price_min = django_filters.NumberFilter(
        field_name="min_price",
        lookup_expr="gte",
        label=_("Lowest price"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    price_max = django_filters.NumberFilter(
        field_name="min_price",
        lookup_expr="lte",
        label=_("Highest price"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    in_stock = django_filters.BooleanFilter(
        method="filter_in_stock", label=_("In stock only"), widget=forms.CheckboxInput
    )
    attr = SlugListFilter(
        method="filter_attributes",
        label=_("Attributes"),
        pair=True,
        help_text=_("Repeatable, as attribute:value, e.g. roast:medium"),
    )
    brand = SlugListFilter(
        method="filter_brands", label=_("Brand"), help_text=_("Repeatable brand slug")
    )

    class Meta:
        model = Product
        fields = ["price_min", "price_max", "in_stock", "attr", "brand"]
        form = ProductFilterForm

    def filter_in_stock(self, queryset, name, value):
        # Unticked means "everything", not "only sold out".
        return queryset.filter(in_stock=True) if value else queryset

    def filter_attributes(self, queryset, name, value):
        if not value:
            return queryset
        wanted: dict[str, list[str]] = defaultdict(list)
        for item in value:
            attribute, slug = item.split(":")
            wanted[attribute].append(slug)
        through = Product.attribute_values.through
        for attribute, slugs in wanted.items():
            queryset = queryset.filter(
                Exists(
                    through.objects.filter(
                        product_id=OuterRef("pk"),
                        attributevalue__attribute__slug=attribute,
                        attributevalue__slug__in=slugs,
                    )
                )
            )
        return queryset

    def filter_brands(self, queryset, name, value):
        return queryset.filter(brand__slug__in=value) if value else queryset

    def selected_attributes(self) -> set[str]:
        """The valid `attr` values asked for, to tick the sidebar checkboxes."""
        return set(self._cleaned("attr"))

    def selected_brands(self) -> set[str]:
        return set(self._cleaned("brand"))

    def _cleaned(self, name):
        if not self.is_bound:
            return []
        self.form.is_valid()  # fields with errors are left out of cleaned_data
        return self.form.cleaned_data.get(name) or []
