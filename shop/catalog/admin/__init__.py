"""The catalogue back office; importing the package registers every admin.

Changelists read everything they show in a fixed number of queries (prices,
stock and the first picture are correlated subqueries), so a page of 100
products costs what a page of 10 does. Writes go through `services`: stock
through the ledger, pictures to the rendition task, search documents
refreshed after every save.
"""

from shop.catalog.admin.attributes import (
    AttributeAdmin,
    AttributeValueAdmin,
    AttributeValueInline,
)
from shop.catalog.admin.brands import BrandAdmin
from shop.catalog.admin.categories import (
    CategoryAdmin,
    CategoryChangeList,
    category_subtree_ids,
    category_tree,
)
from shop.catalog.admin.products import (
    ProductAdmin,
    ProductImageInline,
    VariantInline,
)
from shop.catalog.admin.stock import StockMovementAdmin
from shop.catalog.admin.variants import VariantAdmin

__all__ = [
    "AttributeAdmin",
    "AttributeValueAdmin",
    "AttributeValueInline",
    "BrandAdmin",
    "CategoryAdmin",
    "CategoryChangeList",
    "ProductAdmin",
    "ProductImageInline",
    "StockMovementAdmin",
    "VariantAdmin",
    "VariantInline",
    "category_subtree_ids",
    "category_tree",
]
