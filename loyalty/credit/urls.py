"""Shopping credit in the member area; included into the `loyalty` namespace."""

from django.urls import path

from loyalty.credit import views

urlpatterns = [
    path("credit/", views.credit, name="credit"),
    path("credit/top-up/", views.topup_buy, name="credit_topup"),
]
