"""Purchases in the loyalty API (/api/loyalty/)."""

from django.urls import path

from loyalty.purchases import api

urlpatterns = [
    path("purchases/", api.MyPurchaseListApi.as_view(), name="api-loyalty-purchases"),
    path(
        "purchases/<str:gateway>/notify/",
        api.PurchaseNotifyApi.as_view(),
        name="api-loyalty-purchase-notify",
    ),
]
