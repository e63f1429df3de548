from django.urls import path

from shop.orders import api

urlpatterns = [
    path("me/orders/", api.MyOrderListApi.as_view(), name="api-my-orders"),
    path(
        "me/orders/<str:number>/", api.MyOrderDetailApi.as_view(), name="api-my-order"
    ),
]
