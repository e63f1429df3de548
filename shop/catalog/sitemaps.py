"""sitemap.xml: the home page, active categories and the products anyone may see.

Products come from `selectors.products_visible` with an anonymous shopper, so a
listing hidden from the public (members only, early access) never appears here.
URLs use the host of the request, like the canonical links on the pages.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from shop.catalog import selectors
from shop.core.shopper import shopper_for_user


class _RequestHostSitemap(Sitemap):
    def __init__(self, *, domain: str | None = None):
        self.domain = domain

    def get_domain(self, site=None):
        return self.domain or super().get_domain(site)


class StaticPagesSitemap(_RequestHostSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["catalog:home", "catalog:product_list"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(_RequestHostSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        nodes, stack = [], list(reversed(selectors.category_tree()))
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(reversed(node.children))
        return nodes

    def location(self, item):
        return item.url


class ProductSitemap(_RequestHostSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            selectors.products_visible(shopper=shopper_for_user(None))
            .only("pk", "slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


def sitemaps_for_request(request) -> dict[str, Sitemap]:
    domain = request.get_host()
    return {
        "pages": StaticPagesSitemap(domain=domain),
        "categories": CategorySitemap(domain=domain),
        "products": ProductSitemap(domain=domain),
    }
