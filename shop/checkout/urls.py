from django.urls import path

from shop.checkout import payment_views, views

app_name = "checkout"

urlpatterns = [
    path("", views.details, name="start"),
    path("delivery/", views.delivery, name="delivery"),
    path("review/", views.review, name="review"),
    path("option/", views.option, name="option"),
    path("done/<str:number>/", payment_views.done, name="done"),
    path("pay/<str:number>/", payment_views.pay, name="pay"),
    path("sandbox/pay/<str:token>/", payment_views.sandbox_pay, name="sandbox_pay"),
]
