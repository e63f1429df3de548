"""Purchases in the member area; included into the `loyalty` namespace."""

from django.urls import path

from loyalty.purchases import views

urlpatterns = [
    path("purchases/", views.purchase_list, name="purchases"),
    path(
        "purchases/sandbox/<str:token>/",
        views.sandbox_pay,
        name="purchase_sandbox_pay",
    ),
    path("purchases/<str:number>/", views.purchase_detail, name="purchase"),
    path("purchases/<str:number>/pay/", views.purchase_pay, name="purchase_pay"),
]
