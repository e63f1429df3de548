"""Storefront pages: thin doors over `shop.catalog.selectors`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from shop.catalog import selectors
from shop.catalog.filters import ORDERING_CHOICES
from shop.catalog.models import Category, Product
from shop.catalog.search import MAX_QUERY_LENGTH
from shop.catalog.sitemaps import sitemaps_for_request
from shop.core.money import format_money, money_round

FILTER_PARAMS = ("price_min", "price_max", "in_stock", "attr", "brand")


def _canonical(request, **params) -> str:
    """The page's absolute URL without filter or sort parameters."""
    query = urlencode({key: value for key, value in params.items() if value})
    url = request.build_absolute_uri(request.path)
    return f"{url}?{query}" if query else url


@require_safe
def home(request):
    featured, new_arrivals = selectors.home_products(shopper=request.shopper)
    return render(
        request,
        "catalog/home.html",
        {
            "featured": featured,
            "new_arrivals": new_arrivals,
            "categories": selectors.category_tree(),
            "canonical_url": _canonical(request),
        },
    )


def _listing(request, *, title, category=None, query=""):
    shopper = request.shopper
    sort = request.GET.get("sort", "")
    filterset, products = selectors.product_listing(
        shopper=shopper,
        category=category,
        query=query,
        params=request.GET,
        ordering=sort,
    )
    if query:
        # Ranking a search must look at every match anyway: read the ordered
        # ids once (which also counts them), then only one page of products.
        paginator = Paginator(
            list(products.values_list("pk", flat=True)), settings.CATALOG_PAGE_SIZE
        )
    else:
        paginator = Paginator(products, settings.CATALOG_PAGE_SIZE)
    page_param = request.GET.get("page") or 1
    try:
        page = paginator.page(
            paginator.num_pages if page_param == "last" else page_param
        )
    except InvalidPage as error:
        # An unknown page is a dead link: a 404 keeps it out of search engines.
        raise Http404(_("This page of results does not exist.")) from error
    if query:
        ids = list(page.object_list)
        found = products.order_by().filter(pk__in=ids).in_bulk()
        page.object_list = [found[pk] for pk in ids if pk in found]
    cards = selectors.product_cards(page.object_list, shopper=shopper)
    attribute_facets, brand_facets = selectors.listing_facets(
        shopper=shopper, category=category, query=query
    )
    selected_attributes = filterset.selected_attributes()
    for facet in attribute_facets:
        for value in facet.values:
            value.filter_key = f"{facet.attribute.slug}:{value.slug}"
            value.selected = value.filter_key in selected_attributes
    selected_brands = filterset.selected_brands()
    for brand in brand_facets:
        brand.selected = brand.slug in selected_brands
    orderings = [
        (key, label) for key, label in ORDERING_CHOICES if query or key != "relevance"
    ]
    sort_keys = {key for key, _label in orderings}
    filtered = any(request.GET.get(name) for name in FILTER_PARAMS)
    filterset.form.is_valid()  # invalid fields are left out of cleaned_data
    cleaned = filterset.form.cleaned_data
    active_filter_count = (
        len(selected_attributes)
        + len(selected_brands)
        + bool(cleaned.get("in_stock"))
        + (cleaned.get("price_min") is not None or cleaned.get("price_max") is not None)
    )
    return {
        "page_title": title,
        "filterset": filterset,
        "form": filterset.form,
        "page_obj": page,
        "products": cards,
        "attribute_facets": attribute_facets,
        "brand_facets": brand_facets,
        "page_range": paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        ),
        "ellipsis": Paginator.ELLIPSIS,
        "orderings": orderings,
        "current_sort": sort if sort in sort_keys else orderings[0][0],
        "is_filtered": filtered,
        "active_filter_count": active_filter_count,
        # Filtered, re-sorted and search pages repeat the plain listing.
        "noindex": filtered or bool(sort) or bool(query),
        "search_query": query,
        "canonical_url": _canonical(
            request,
            q=query,
            page=page.number if page.number > 1 else None,
        ),
    }


@require_safe
def product_list(request):
    context = _listing(request, title=_("All products"))
    return render(request, "catalog/listing.html", context)


@require_safe
def category(request, slug):
    try:
        current = selectors.category_get(slug=slug)
    except Category.DoesNotExist as error:
        raise Http404(_("No such category.")) from error
    node = selectors.category_node(current)
    context = _listing(request, title=current.name, category=current)
    context.update(
        category=current,
        category_node=node,
        breadcrumbs=node.ancestors,
        subcategories=node.children,
        active_category_id=node.root.category.pk,
    )
    return render(request, "catalog/listing.html", context)


@require_safe
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    if not query:
        return render(
            request,
            "catalog/search_empty.html",
            {"noindex": True, "canonical_url": _canonical(request)},
        )
    context = _listing(request, title=_("Search results"), query=query)
    return render(request, "catalog/listing.html", context)


@require_safe
def product_detail(request, slug):
    try:
        product = selectors.product_detail(shopper=request.shopper, slug=slug)
    except Product.DoesNotExist as error:
        raise Http404(_("No such product.")) from error
    node = selectors.category_node(product.category_id)
    variants = product.active_variants
    selected, combination_found = _selected_variant(request, variants)
    canonical_url = _canonical(request)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "variants": variants,
            "selected_variant": selected,
            "combination_found": combination_found,
            "selected_price": product.variant_prices.get(selected.pk)
            if selected
            else None,
            "selected_stock": _stock_state(selected) if selected else None,
            "option_groups": _option_groups(product, variants),
            "attribute_groups": _attribute_groups(product.attribute_list),
            "breadcrumbs": [*node.ancestors, node] if node else [],
            "active_category_id": node.root.category.pk if node else None,
            "canonical_url": canonical_url,
            "variant_data": [
                _variant_data(variant, product.variant_prices.get(variant.pk))
                for variant in variants
            ],
            "json_ld": _product_json_ld(request, product, canonical_url),
        },
    )


def _selected_variant(request, variants):
    """(variant, found): the variant the no-JavaScript picker asked for, or the
    first in stock, and whether the combination asked for exists.
    """
    if not variants:
        return None, True
    wanted = (request.GET.get("option1"), request.GET.get("option2"))
    if any(wanted):
        for variant in variants:
            if all(
                value is None or value == getattr(variant, name)
                for name, value in zip(("option1", "option2"), wanted, strict=True)
            ):
                return variant, True
    default = next((v for v in variants if v.stock > 0), variants[0])
    return default, not any(wanted)


def _option_groups(product, variants):
    """Per option (size, colour…): its values, each marked sold out when no
    variant with that value has stock.
    """
    groups = []
    for name, label in (
        ("option1", product.option1_name),
        ("option2", product.option2_name),
    ):
        values: dict[str, bool] = {}
        for variant in variants:
            value = getattr(variant, name)
            if value:
                values[value] = values.get(value, False) or variant.stock > 0
        if values:
            groups.append(
                {
                    "field": name,
                    "label": label or _("Option"),
                    "choices": [
                        {"value": value, "available": available}
                        for value, available in values.items()
                    ],
                }
            )
    return groups


def _attribute_groups(values):
    groups: dict[int, dict] = {}
    for value in values:
        group = groups.setdefault(
            value.attribute_id, {"attribute": value.attribute, "values": []}
        )
        group["values"].append(value.value)
    return sorted(
        groups.values(), key=lambda g: (g["attribute"].position, g["attribute"].name)
    )


LOW_STOCK = 5


def _stock_state(variant) -> tuple[str, str]:
    """CSS class and words for a variant's stock, shared by the page and its JS."""
    if variant.stock <= 0:
        return "out", _("Sold out")
    if variant.stock <= LOW_STOCK:
        return "low", ngettext(
            "Only %(count)d left", "Only %(count)d left", variant.stock
        ) % {"count": variant.stock}
    return "in", _("In stock")


def _variant_data(variant, price):
    stock_class, stock_label = _stock_state(variant)
    return {
        "id": variant.pk,
        "option1": variant.option1,
        "option2": variant.option2,
        "sku": variant.sku,
        "stock": variant.stock,
        "stock_class": stock_class,
        "stock_label": stock_label,
        "price": format_money(price.price.amount, price.price.currency)
        if price
        else "",
        "compare_at": (
            format_money(price.compare_at.amount, price.compare_at.currency)
            if price and price.is_discounted
            else ""
        ),
        # Why the price differs (e.g. a member price) and a better price to get.
        "price_label": price.label if price else "",
        "teaser": price.teaser if price else "",
    }


def _product_json_ld(request, product, canonical_url):
    offers = []
    for variant in product.active_variants:
        price = product.variant_prices.get(variant.pk)
        if price is None:
            continue
        offers.append(
            {
                "@type": "Offer",
                "sku": variant.sku,
                "name": variant.options_label or product.title,
                "price": str(money_round(price.price.amount, price.price.currency)),
                "priceCurrency": price.price.currency,
                "availability": "https://schema.org/InStock"
                if variant.stock > 0
                else "https://schema.org/OutOfStock",
                "url": canonical_url,
            }
        )
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "url": canonical_url,
        "description": product.seo_description or product.description[:500],
        "image": [
            request.build_absolute_uri(image.display_url)
            for image in product.image_list
        ],
        "offers": offers,
    }
    if product.brand_id:
        data["brand"] = {"@type": "Brand", "name": product.brand.name}
    if product.active_variants:
        data["sku"] = product.active_variants[0].sku
    return data


@require_safe
def sitemap_xml(request):
    return sitemap(request, sitemaps=sitemaps_for_request(request))
