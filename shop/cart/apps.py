from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "shop.cart"
    label = "cart"
    verbose_name = _("Carts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from shop.cart.receivers import merge_cart_on_login

        user_logged_in.connect(merge_cart_on_login, dispatch_uid="cart-merge-on-login")
