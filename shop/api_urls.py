"""The API root: every app's routes, the OpenAPI schema and its docs pages.

The docs pages load Swagger UI and ReDoc from drf-spectacular-sidecar's static
files, so they work on a machine without internet access.
"""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

urlpatterns = [
    path("", include("shop.catalog.api_urls")),
    path("", include("shop.accounts.api_urls")),
    path("", include("shop.cart.api_urls")),
    path("", include("shop.checkout.api_urls")),
    path("", include("shop.orders.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(
            url_name="api-schema", template_name="api/redoc.html"
        ),
        name="api-redoc",
    ),
]
