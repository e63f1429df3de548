"""Shopping credit in the loyalty API (/api/loyalty/)."""

from django.urls import path

from loyalty.credit import api

urlpatterns = [
    path("credit/", api.MyCreditApi.as_view(), name="api-loyalty-credit"),
    path(
        "credit/entries/",
        api.MyCreditEntriesApi.as_view(),
        name="api-loyalty-credit-entries",
    ),
    path(
        "topup-plans/", api.TopUpPlanListApi.as_view(), name="api-loyalty-topup-plans"
    ),
    path("topups/", api.TopUpCreateApi.as_view(), name="api-loyalty-topups"),
]
