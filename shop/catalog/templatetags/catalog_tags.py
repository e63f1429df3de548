"""Template helpers of the storefront.

Fragments repeated on every page or many times per page (product cards, the
category bar, filter checkboxes) are rendered here in Python: the template
engine would spend more time on them than on the rest of the page together.
"""

import html
import json
from urllib.parse import quote

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from shop.core.context_processors import shop_name as _shop_name
from shop.core.money import Money, format_money

register = template.Library()

# What json_script escapes: a "</script>" or "<!--" inside a product text must not
# end the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_SLUG_PLACEHOLDER = "__slug__"


@register.filter
def json_ld(data):
    """`{{ data|json_ld }}`: a `<script type="application/ld+json">` element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_JSON_ESCAPES)),
    )


@register.simple_tag(takes_context=True)
def category_nav(context):
    """The header's category bar from `category_nav` (the cached tree, from the
    catalog context processor); the root of the page's category is marked.
    """
    nodes = context.get("category_nav") or ()
    if callable(nodes):
        nodes = nodes()
    active = context.get("active_category_id")
    current = mark_safe(' aria-current="page"')
    items = format_html_join(
        "",
        '<li><a href="{}"{}>{}</a></li>',
        (
            (
                node.url,
                current if node.category.pk == active else "",
                node.category.name,
            )
            for node in nodes
        ),
    )
    return format_html(
        '<nav class="category-nav" aria-label="{}"><ul>{}</ul></nav>',
        gettext("Categories"),
        items,
    )


@register.simple_tag
def facet_fieldsets(facets):
    """`<fieldset>`s of attribute checkboxes for the listing filter form."""
    return format_html_join(
        "",
        "<fieldset><legend>{}</legend>{}</fieldset>",
        (
            (
                facet.attribute.name,
                format_html_join(
                    "",
                    '<label class="check"><input type="checkbox" name="attr" '
                    'value="{}"{}> {} <span class="muted">({})</span></label>',
                    (
                        (
                            value.filter_key,
                            mark_safe(" checked") if value.selected else "",
                            value.value,
                            value.product_count,
                        )
                        for value in facet.values
                    ),
                ),
            )
            for facet in facets
        ),
    )


@register.simple_tag
def shop_name():
    """The shop's name where no context processor ran (500.html)."""
    return _shop_name()


def _money(money: Money) -> str:
    return format_money(money.amount, money.currency)


def _card(product, url_pattern: str, labels: dict[str, str]) -> str:
    # Plain string building with explicit escaping (`_e`): format_html on every
    # fragment of twenty cards cost more than the rest of the listing template.
    url = url_pattern.replace(_SLUG_PLACEHOLDER, quote(product.slug, safe=""))
    image = product.primary_image
    if image is not None:
        picture = (
            f'<img src="{_e(image.thumbnail_url)}" alt="" loading="lazy" '
            'decoding="async">'
        )
    else:
        picture = '<span class="no-image" aria-hidden="true"></span>'
    brand = (
        f'<span class="muted card-brand">{_e(product.brand.name)}</span>'
        if product.brand_id
        else ""
    )
    price_html = ""
    price = product.card_price
    if price is not None:
        now = _money(price.price)
        if product.has_price_range:
            now = labels["from"] % {"price": now}
        was = ""
        if price.is_discounted:
            was = (
                f' <s class="was"><span class="visually-hidden">{labels["was"]} '
                f"</span>{_e(_money(price.compare_at))}</s>"
            )
        sale = " sale" if price.is_discounted else ""
        price_html = (
            f'<p class="price{sale}"><span class="now">{_e(now)}</span>{was}</p>'
        )
        if price.label:
            price_html += f'<p class="teaser price-label">{_e(price.label)}</p>'
        if price.teaser_label and price.teaser_price is not None:
            then = _money(price.teaser_price)
            if product.has_price_range:
                then = labels["from"] % {"price": then}
            teaser = f"{price.teaser_label} {then}"
            price_html += f'<p class="teaser teaser-next">{_e(teaser)}</p>'
    badge = ""
    if not product.in_stock:
        word = labels["sold_out"] if price is not None else labels["unavailable"]
        badge = f'<span class="badge out">{word}</span>'
    # A teaser of a member-only listing: shown, but not for this shopper to buy.
    lock = getattr(product, "purchase_locked_reason", "")
    if lock:
        badge += (
            '<p class="purchase-lock"><span aria-hidden="true">&#128274; </span>'
            f"{_e(lock)}</p>"
        )
    return (
        f'<li><article class="product-card"><a href="{_e(url)}">{picture}'
        f'<div class="body">{brand}<h3 class="title">{_e(product.title)}</h3>'
        f"{price_html}{badge}</div></a></article></li>"
    )


def _e(value) -> str:
    return html.escape(str(value))


@register.simple_tag
def product_cards(products):
    """`{% product_cards products %}`: one `<li>` card per product from
    `selectors.product_cards`, for a `<ul class="product-grid">`.
    """
    products = list(products)
    if not products:
        return ""
    url_pattern = reverse("catalog:product", kwargs={"slug": _SLUG_PLACEHOLDER})
    labels = {
        # Translators: a price for the cheapest of several variants.
        "from": gettext("from %(price)s"),
        "was": _e(gettext("Original price:")),
        "sold_out": _e(gettext("Sold out")),
        "unavailable": _e(gettext("Unavailable")),
    }
    return mark_safe(
        "".join(_card(product, url_pattern, labels) for product in products)
    )
