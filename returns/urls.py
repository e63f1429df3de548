"""The shopper's return pages, mounted at /returns/ (namespace "returns")."""

from django.urls import path

from returns import views

app_name = "returns"

urlpatterns = [
    path("", views.return_list, name="list"),
    path("guest/", views.guest, name="guest"),
    path("guest/<str:order_number>/", views.guest_order, name="guest_order"),
    path("new/<str:order_number>/", views.create, name="create"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/done/", views.created, name="created"),
    path("<str:number>/cancel/", views.cancel, name="cancel"),
    path("<str:number>/shipped/", views.mark_shipped, name="mark_shipped"),
]
