from django.urls import path

from shop.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product_list"),
    path("c/<str:slug>/", views.category, name="category"),
    path("p/<str:slug>/", views.product_detail, name="product"),
    path("search/", views.search, name="search"),
]
