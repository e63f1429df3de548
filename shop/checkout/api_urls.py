from django.urls import path

from shop.checkout import api

urlpatterns = [
    path("checkout/quote/", api.QuoteApi.as_view(), name="api-checkout-quote"),
    path("checkout/orders/", api.OrderCreateApi.as_view(), name="api-checkout-orders"),
    path(
        "shipping-methods/",
        api.ShippingMethodListApi.as_view(),
        name="api-shipping-methods",
    ),
    path(
        "payment-methods/",
        api.PaymentMethodListApi.as_view(),
        name="api-payment-methods",
    ),
    path(
        "payments/<str:gateway>/notify/",
        api.PaymentNotifyApi.as_view(),
        name="api-payment-notify",
    ),
]
