"""Tier writes: qualifying spend, upgrades, manual changes, the nightly renewal
and downgrade run, and the "you will lose your tier" warnings.

Qualifying spend is the order's net paid amount: `total − shipping_total`
(the total is already after discounts, points and credit). It is counted when
the order is paid and removed by a cancellation or a return, always dated at
the order's payment time, so the removal lowers the window the order counted
in. A payment upgrades the member in its own transaction; nothing downgrades
at once: an expired tier is renewed or dropped by the nightly run.

What "qualifies" means is defined once, in `loyalty.selectors.tiers`.

Split by sub-domain:

- `spend`: qualifying spend counted, uncounted and removed per order;
- `changes`: upgrades on payment and manual tier changes (`tier_set`);
- `nightly`: the set-based renewal and downgrade run and its SQL;
- `expiry_warnings`: the "you will lose your tier" emails.
"""

from loyalty.services.tiers.changes import tier_set
from loyalty.services.tiers.expiry_warnings import tier_expiry_warnings_send
from loyalty.services.tiers.nightly import (
    BATCH_SIZE,
    TierRunResult,
    tiers_renew_or_downgrade,
)
from loyalty.services.tiers.spend import (
    spend_count_order,
    spend_remove,
    spend_uncount_order,
)

__all__ = [
    "BATCH_SIZE",
    "TierRunResult",
    "spend_count_order",
    "spend_remove",
    "spend_uncount_order",
    "tier_expiry_warnings_send",
    "tier_set",
    "tiers_renew_or_downgrade",
]
