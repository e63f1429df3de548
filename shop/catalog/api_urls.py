from django.urls import path

from shop.catalog import api

urlpatterns = [
    path("categories/", api.CategoryListApi.as_view(), name="api-categories"),
    path("products/", api.ProductListApi.as_view(), name="api-products"),
    path("products/<str:slug>/", api.ProductDetailApi.as_view(), name="api-product"),
]
