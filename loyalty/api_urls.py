"""The loyalty API, mounted at /api/loyalty/."""

from django.urls import path

from loyalty import api

urlpatterns = [
    path("membership/", api.MyMembershipApi.as_view(), name="api-loyalty-membership"),
    path("points/", api.MyPointsListApi.as_view(), name="api-loyalty-points"),
    path("tiers/", api.TierListApi.as_view(), name="api-loyalty-tiers"),
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
