from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shop.accounts"
    label = "accounts"
    verbose_name = _("Customers")

    def ready(self):
        from shop.accounts.member_area import register_builtin_parts

        register_builtin_parts()
