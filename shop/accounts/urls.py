from django.urls import path

from shop.accounts import views

app_name = "accounts"

# Mounted at /account/ beside allauth's pages (login/, signup/, email/, password/…).
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("addresses/", views.address_index, name="addresses"),
    path("addresses/add/", views.address_add, name="address_add"),
    path("addresses/<int:pk>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:pk>/delete/", views.address_remove, name="address_delete"),
    path(
        "addresses/<int:pk>/default/",
        views.address_make_default,
        name="address_default",
    ),
]
