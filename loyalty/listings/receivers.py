"""Cache invalidation for member-only listings; connected in `LoyaltyConfig.ready()`.

A rule or a category saved or deleted (in the back office, a service or the
shell) clears the cached rules and the catalogue's cached listing data
(`catalog_changed`), at once and again when the transaction commits, so no
request in between caches the old rules for long. Nothing else happens here.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from loyalty.listings.rules import listing_rules_cache_clear
from loyalty.models import ListingRule
from shop.catalog.models import Category
from shop.catalog.selectors import catalog_changed


def _forget() -> None:
    listing_rules_cache_clear()
    catalog_changed()


def _listings_changed(**kwargs) -> None:
    _forget()
    transaction.on_commit(_forget)


def connect() -> None:
    for model in (ListingRule, Category):
        name = model._meta.model_name
        post_save.connect(
            _listings_changed, sender=model, dispatch_uid=f"listings-saved-{name}"
        )
        post_delete.connect(
            _listings_changed, sender=model, dispatch_uid=f"listings-deleted-{name}"
        )
