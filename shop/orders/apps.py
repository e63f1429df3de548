from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "shop.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from shop.orders.member_area import register_member_area_parts

        register_member_area_parts()
