from django.urls import path

from shop.accounts import api

urlpatterns = [
    path("auth/token/", api.AuthTokenApi.as_view(), name="api-auth-token"),
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("me/addresses/", api.AddressListApi.as_view(), name="api-addresses"),
    path(
        "me/addresses/<int:id>/",
        api.AddressDetailApi.as_view(),
        name="api-address",
    ),
    path(
        "me/addresses/<int:id>/default/",
        api.AddressSetDefaultApi.as_view(),
        name="api-address-default",
    ),
]
