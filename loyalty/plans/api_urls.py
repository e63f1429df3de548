"""Paid membership in the loyalty API (/api/loyalty/)."""

from django.urls import path

from loyalty.plans import api

urlpatterns = [
    path(
        "membership-plans/",
        api.MembershipPlanListApi.as_view(),
        name="api-loyalty-membership-plans",
    ),
    path(
        "paid-membership/",
        api.MyPaidMembershipApi.as_view(),
        name="api-loyalty-paid-membership",
    ),
    path(
        "paid-membership/purchases/",
        api.PaidMembershipPurchaseCreateApi.as_view(),
        name="api-loyalty-paid-membership-purchases",
    ),
    path(
        "paid-membership/cancel/",
        api.PaidMembershipCancelApi.as_view(),
        name="api-loyalty-paid-membership-cancel",
    ),
    path(
        "paid-membership/refund/",
        api.PaidMembershipRefundApi.as_view(),
        name="api-loyalty-paid-membership-refund",
    ),
]
