"""Member order pages and the guest lookup; included at the site root."""

from django.urls import path

from shop.orders import views

app_name = "orders"

urlpatterns = [
    path("account/orders/", views.history, name="history"),
    path("account/orders/<str:number>/", views.detail, name="detail"),
    path("orders/lookup/", views.lookup, name="lookup"),
    path("orders/lookup/<str:number>/", views.guest_detail, name="guest_detail"),
]
