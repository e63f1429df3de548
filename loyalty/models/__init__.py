"""The loyalty programme's tables: programme settings, tier schemes, memberships,
qualifying spend, the points and credit ledgers, and the member privileges."""

from loyalty.models.coupons import Coupon, CouponKind, CouponRedemption, MemberCoupon
from loyalty.models.credit import (
    CreditDraw,
    CreditEntry,
    CreditEntryKind,
    CreditLot,
    CreditSource,
)
from loyalty.models.listings import (
    ListingAccessGrant,
    ListingAudience,
    ListingMode,
    ListingRule,
)
from loyalty.models.membership import Membership, QualifyingSpend, TierChange
from loyalty.models.plans import (
    MembershipPlan,
    PaidMembership,
    PaidMembershipStatus,
    PlanPeriod,
    Purchase,
    PurchaseKind,
    PurchaseNotification,
    PurchaseStatus,
    TopUpPlan,
)
from loyalty.models.points import (
    PointsDraw,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
)
from loyalty.models.privileges import BirthdayGift, MemberDayReminder
from loyalty.models.programme import (
    BirthdayGiftDay,
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
    "BirthdayGift",
    "BirthdayGiftDay",
    "Coupon",
    "CouponKind",
    "CouponRedemption",
    "CreditDraw",
    "CreditEntry",
    "CreditEntryKind",
    "CreditLot",
    "CreditSource",
    "DowngradeRule",
    "ListingAccessGrant",
    "ListingAudience",
    "ListingMode",
    "ListingRule",
    "LoyaltyProgramme",
    "MemberCoupon",
    "MemberDayReminder",
    "Membership",
    "MembershipPlan",
    "PaidMembership",
    "PaidMembershipStatus",
    "PlanPeriod",
    "PointsDraw",
    "PointsEntry",
    "PointsEntryKind",
    "PointsExpiryRule",
    "PointsLot",
    "PointsLotStatus",
    "Purchase",
    "PurchaseKind",
    "PurchaseNotification",
    "PurchaseStatus",
    "QualifyWindow",
    "QualifyingSpend",
    "SchemeStatus",
    "Tier",
    "TierChange",
    "TierPrice",
    "TierScheme",
    "TierValidity",
    "TopUpPlan",
]
