"""The loyalty back office; importing the package registers every admin.

- `programme`: the programme settings (one row, edited in place);
- `schemes`: tier schemes, edited as drafts, previewed and scheduled;
- `members`: the member list (filters, search, CSV export) and a member's
  page with its ledgers, "Adjust points" and "Change tier";
- `ledgers`: the points ledger and lots, tier changes and qualifying spend,
  read-only;
- `prices`: per-tier variant prices on the variant page.

Lists over big tables read a page in a fixed number of queries and count only
what the filters select (`paginator.LargeTablePaginator`).
"""

from loyalty.admin import (
    coupons,  # noqa: F401  (coupons, vouchers, uses)
    credit,  # noqa: F401  (top-up plans, credit ledger and lots, adjustments)
    listings,  # noqa: F401  (member-only listings)
    plans,  # noqa: F401  (paid membership plans and periods)
    prices,  # noqa: F401
    purchases,  # noqa: F401  (top-ups and membership purchases)
)
from loyalty.admin.ledgers import (
    PointsEntryAdmin,
    PointsLotAdmin,
    QualifyingSpendAdmin,
    TierChangeAdmin,
)
from loyalty.admin.members import MembershipAdmin
from loyalty.admin.programme import LoyaltyProgrammeAdmin
from loyalty.admin.schemes import TierSchemeAdmin

__all__ = [
    "LoyaltyProgrammeAdmin",
    "MembershipAdmin",
    "PointsEntryAdmin",
    "PointsLotAdmin",
    "QualifyingSpendAdmin",
    "TierChangeAdmin",
    "TierSchemeAdmin",
]
