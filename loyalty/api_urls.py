"""The loyalty API, mounted at /api/loyalty/."""

from django.urls import include, path

from loyalty import api
from loyalty.coupons import api as coupons_api
from loyalty.listings import api as listings_api
from loyalty.privileges import api as privileges_api

urlpatterns = [
    path("membership/", api.MyMembershipApi.as_view(), name="api-loyalty-membership"),
    path("points/", api.MyPointsListApi.as_view(), name="api-loyalty-points"),
    path("tiers/", api.TierListApi.as_view(), name="api-loyalty-tiers"),
    path("", include("loyalty.credit.api_urls")),
    path("", include("loyalty.purchases.api_urls")),
    path("", include("loyalty.plans.api_urls")),
    path("coupons/", coupons_api.MyCouponListApi.as_view(), name="api-loyalty-coupons"),
    path(
        "coupons/apply/",
        coupons_api.CouponApplyApi.as_view(),
        name="api-loyalty-coupons-apply",
    ),
    path(
        "member-day/",
        privileges_api.MemberDayStatusApi.as_view(),
        name="api-loyalty-member-day",
    ),
    path(
        "members-only/",
        listings_api.MembersOnlyListApi.as_view(),
        name="api-loyalty-members-only",
    ),
    path(
        "members/<int:user_id>/",
        api.MemberDetailApi.as_view(),
        name="api-loyalty-member",
    ),
    path(
        "members/<int:user_id>/points-adjustments/",
        api.PointsAdjustmentCreateApi.as_view(),
        name="api-loyalty-points-adjustments",
    ),
]
