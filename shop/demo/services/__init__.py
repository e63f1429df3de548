"""Writes that fill the database with the demo shop (and take it out again).

Every seed function creates what is missing and leaves what exists alone:
categories, brands and attributes by slug, products by slug (their variants
only with them), users by email. Running the seed twice therefore changes
nothing, and a merchant's edits to demo rows survive a second run.

Rows are written with `bulk_create` in batches, so a benchmark-sized shop
(2,000 products, 10,000 shoppers) seeds in seconds. Bulk writes skip model
`save()`, so the derived data the services of other apps keep is written here
too: a stock ledger row per stocked variant (the ledger must add up to the
stock), search documents (through `catalog.services.products_saved`) and
picture renditions (through `catalog.images.render_renditions`).

The catalogue is seeded in `catalogue`, staff and shoppers in `people`, and
`reset` deletes both; this package exports what the `seed_demo` command uses.
"""

from shop.demo.services.batches import BATCH_SIZE, Progress
from shop.demo.services.catalogue import (
    STOCK_REFERENCE,
    CatalogueSeedResult,
    demo_catalogue_seed,
)
from shop.demo.services.people import (
    DEMO_PASSWORD,
    STAFF,
    StaffLogin,
    demo_password_hash,
    demo_shoppers_seed,
    demo_staff_seed,
)
from shop.demo.services.reset import DEMO_SHOPPER_EMAIL_REGEX, demo_data_reset

__all__ = [
    "BATCH_SIZE",
    "DEMO_PASSWORD",
    "DEMO_SHOPPER_EMAIL_REGEX",
    "STAFF",
    "STOCK_REFERENCE",
    "CatalogueSeedResult",
    "Progress",
    "StaffLogin",
    "demo_catalogue_seed",
    "demo_data_reset",
    "demo_password_hash",
    "demo_shoppers_seed",
    "demo_staff_seed",
]
