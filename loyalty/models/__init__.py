"""The loyalty programme's tables: programme settings, tier schemes, memberships,
qualifying spend and the points ledger with its lots."""

from loyalty.models.membership import Membership, QualifyingSpend, TierChange
from loyalty.models.points import (
    PointsDraw,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
)
from loyalty.models.programme import (
    DowngradeRule,
    LoyaltyProgramme,
    PointsExpiryRule,
)
from loyalty.models.tiers import (
    QualifyWindow,
    SchemeStatus,
    Tier,
    TierPrice,
    TierScheme,
    TierValidity,
)

__all__ = [
    "DowngradeRule",
    "LoyaltyProgramme",
    "Membership",
    "PointsDraw",
    "PointsEntry",
    "PointsEntryKind",
    "PointsExpiryRule",
    "PointsLot",
    "PointsLotStatus",
    "QualifyWindow",
    "QualifyingSpend",
    "SchemeStatus",
    "Tier",
    "TierChange",
    "TierPrice",
    "TierScheme",
    "TierValidity",
]
