from django.urls import path

from shop.cart import api

urlpatterns = [
    path("cart/", api.CartApi.as_view(), name="api-cart"),
    path("cart/lines/", api.CartLinesApi.as_view(), name="api-cart-lines"),
    path(
        "cart/lines/<int:variant_id>/", api.CartLineApi.as_view(), name="api-cart-line"
    ),
]
