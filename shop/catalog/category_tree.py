"""The category tree, read once and kept in the cache.

Every storefront page shows the category bar, and category pages, breadcrumbs,
the sitemap and the API resolve categories through it, so it is built in one
query and cached; saving or deleting a category drops it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shop.catalog.models import Category

CATEGORY_TREE_CACHE_KEY = "catalog:category-tree:v1"
CATEGORY_TREE_TOKEN_KEY = "catalog:category-tree-token:v1"
# Invalidation on save reaches only this process's cache when the cache is
# per-process (the local-memory default), so other processes refresh within this.
CATEGORY_TREE_TIMEOUT = 300


@dataclass
class CategoryNode:
    category: Category
    url: str
    children: list[CategoryNode] = field(default_factory=list)
    parent: CategoryNode | None = field(default=None, repr=False)

    @property
    def ancestors(self) -> list[CategoryNode]:
        """From the root down to the parent of this node."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def root(self) -> CategoryNode:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def descendant_ids(self) -> list[int]:
        """This category's id and every id below it."""
        ids = [self.category.pk]
        for child in self.children:
            ids.extend(child.descendant_ids())
        return ids


@dataclass
class CategoryIndex:
    roots: list[CategoryNode]
    by_slug: dict[str, CategoryNode]
    by_id: dict[int, CategoryNode]


def _build_category_index() -> CategoryIndex:
    categories = list(
        Category.objects.filter(is_active=True)
        .only(
            "pk",
            "parent_id",
            "name",
            "slug",
            "description",
            "image",
            "position",
            "seo_title",
            "seo_description",
        )  # fmt: skip
        .order_by("position", "name", "pk")
    )
    nodes = {
        c.pk: CategoryNode(category=c, url=c.get_absolute_url()) for c in categories
    }
    roots = []
    for node in nodes.values():
        parent_id = node.category.parent_id
        if parent_id is None:
            roots.append(node)
        elif parent_id in nodes:
            node.parent = nodes[parent_id]
            nodes[parent_id].children.append(node)
    # A category under an inactive parent is unreachable, so it is hidden too.
    reachable: dict[int, CategoryNode] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        reachable[node.category.pk] = node
        stack.extend(node.children)
    return CategoryIndex(
        roots=roots,
        by_slug={node.category.slug: node for node in reachable.values()},
        by_id=reachable,
    )


# (token, index) of the tree this process last unpickled: every page shows the
# tree, and reading a short token from the cache is far cheaper than the tree.
_local_category_index: tuple[str, CategoryIndex] | None = None


def category_index() -> CategoryIndex:
    """The active category tree with lookups by slug and id, from the cache."""
    global _local_category_index
    token = cache.get(CATEGORY_TREE_TOKEN_KEY)
    local = _local_category_index
    if token is not None and local is not None and local[0] == token:
        return local[1]
    index = cache.get(CATEGORY_TREE_CACHE_KEY) if token is not None else None
    if index is None:
        index = _build_category_index()
        token = uuid.uuid4().hex
        cache.set_many(
            {CATEGORY_TREE_CACHE_KEY: index, CATEGORY_TREE_TOKEN_KEY: token},
            CATEGORY_TREE_TIMEOUT,
        )
    _local_category_index = (token, index)
    return index


@receiver(post_save, sender=Category, dispatch_uid="catalog-category-tree-saved")
@receiver(post_delete, sender=Category, dispatch_uid="catalog-category-tree-deleted")
def _category_tree_changed(**kwargs):
    category_tree_invalidate()


def category_tree_invalidate() -> None:
    """Forget the cached tree; call after bulk category writes that send no signal."""
    cache.delete_many([CATEGORY_TREE_TOKEN_KEY, CATEGORY_TREE_CACHE_KEY])


def category_tree() -> list[CategoryNode]:
    """Active categories as nested nodes (`.category`, `.url`, `.children`).

    One query when the cache is cold; cached for a few minutes and dropped
    whenever a category is saved or deleted.
    """
    return category_index().roots


def category_node(category_or_id) -> CategoryNode | None:
    """The tree node of an active category, or None."""
    pk = getattr(category_or_id, "pk", category_or_id)
    return category_index().by_id.get(pk)


def category_get(*, slug: str) -> Category:
    """The active category with this slug; raises Category.DoesNotExist."""
    node = category_index().by_slug.get(slug)
    if node is None:
        raise Category.DoesNotExist(slug)
    return node.category


def category_descendant_ids(category) -> list[int]:
    """The category's id and those of its active descendants."""
    node = category_node(category)
    return node.descendant_ids() if node is not None else [category.pk]
