"""Template helpers of the storefront.

Product cards are rendered here in Python rather than by a template include:
a listing shows twenty or more of them, and the template engine would spend
more time on them than the rest of the page together.
"""

import json
from urllib.parse import quote

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


@register.simple_tag
def shop_name():
    """The shop's name where no context processor ran (500.html)."""
    return _shop_name()


def _money(money: Money) -> str:
    return format_money(money.amount, money.currency)


def _card(product, url_pattern: str, labels: dict[str, str]) -> SafeString:
    url = url_pattern.replace(_SLUG_PLACEHOLDER, quote(product.slug, safe=""))
    image = product.primary_image
    picture = (
        format_html(
            '<img src="{}" alt="" loading="lazy" decoding="async">',
            image.thumbnail_url,
        )
        if image is not None
        else mark_safe('<span class="no-image" aria-hidden="true"></span>')
    )
    brand = (
        format_html('<span class="muted card-brand">{}</span>', product.brand.name)
        if product.brand_id
        else ""
    )
    price_html = ""
    price = product.card_price
    if price is not None:
        now = _money(price.price)
        if product.has_price_range:
            now = labels["from"] % {"price": now}
        was = (
            format_html(
                ' <s class="was"><span class="visually-hidden">{} </span>{}</s>',
                labels["was"],
                _money(price.compare_at),
            )
            if price.is_discounted
            else ""
        )
        price_html = format_html(
            '<p class="price{}"><span class="now">{}</span>{}</p>',
            " sale" if price.is_discounted else "",
            now,
            was,
        )
        if price.label:
            price_html += format_html('<p class="teaser">{}</p>', price.label)
        elif price.teaser_label and price.teaser_price is not None:
            price_html += format_html(
                '<p class="teaser">{} {}</p>',
                price.teaser_label,
                _money(price.teaser_price),
            )
    badge = ""
    if not product.in_stock:
        badge = format_html(
            '<span class="badge out">{}</span>',
            labels["sold_out"] if price is not None else labels["unavailable"],
        )
    return format_html(
        '<li><article class="product-card"><a href="{}">{}<div class="body">{}'
        '<h3 class="title">{}</h3>{}{}</div></a></article></li>',
        url,
        picture,
        brand,
        product.title,
        price_html,
        badge,
    )


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
        "was": gettext("Original price:"),
        "sold_out": gettext("Sold out"),
        "unavailable": gettext("Unavailable"),
    }
    return format_html_join(
        "", "{}", ((_card(product, url_pattern, labels),) for product in products)
    )
