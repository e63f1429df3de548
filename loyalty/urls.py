"""The member area's loyalty pages; mounted at /account/ beside the account pages."""

from django.urls import include, path

from loyalty import views
from loyalty.coupons import views as coupons_views
from loyalty.plans import views as plan_views

app_name = "loyalty"

urlpatterns = [
    path("membership/", views.membership, name="membership"),
    path("points/", views.points, name="points"),
    path("tiers/", views.tiers, name="tiers"),
    path("plans/", plan_views.plans, name="plans"),
    path("plans/buy/", plan_views.plan_buy, name="plan_buy"),
    path("plans/cancel/", plan_views.plan_cancel, name="plan_cancel"),
    path("plans/<int:pk>/refund/", plan_views.plan_refund, name="plan_refund"),
    path("coupons/", coupons_views.my_coupons, name="coupons"),
    path("", include("loyalty.credit.urls")),
    path("", include("loyalty.purchases.urls")),
]
