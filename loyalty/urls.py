"""The member area's loyalty pages; mounted at /account/ beside the account pages."""

from django.urls import path

from loyalty import views

app_name = "loyalty"

urlpatterns = [
    path("membership/", views.membership, name="membership"),
    path("points/", views.points, name="points"),
    path("tiers/", views.tiers, name="tiers"),
]
