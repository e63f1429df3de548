from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from shop.catalog import views as catalog_views
from shop.core import views as core_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("shop.orders.urls")),
    path("account/", include("shop.accounts.urls")),
    # /account/… (loyalty.urls) and /members-only/, in the loyalty namespace.
    path("", include("loyalty.listings.urls")),
    path("account/", include("allauth.urls")),
    path("api/", include("shop.api_urls")),
    path("api/loyalty/", include("loyalty.api_urls")),
    path("api/returns/", include("returns.api_urls")),
    path("cart/", include("shop.cart.urls")),
    path("checkout/", include("shop.checkout.urls")),
    path("returns/", include("returns.urls")),
    path("sitemap.xml", catalog_views.sitemap_xml, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("", include("shop.catalog.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "shop.core.views.page_not_found"
handler500 = "shop.core.views.server_error"
