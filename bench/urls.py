"""The shop's URLs plus `/bench/bare/`: the cheapest page Django can serve here.

The bare view runs through the same middleware stack (sessions, locale,
authentication, shopper context) and the same gunicorn workers as the shop's
pages, so its figures are the ceiling the storefront is measured against.
"""

from django.http import HttpResponse
from django.urls import path

from shop.urls import handler404, handler500  # noqa: F401
from shop.urls import urlpatterns as shop_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *shop_urlpatterns]
