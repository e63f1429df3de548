from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    label = "loyalty"
    verbose_name = _("Loyalty programme")

    def ready(self):
        from loyalty import receivers
        from loyalty.member_area import register_member_area_parts

        receivers.connect()
        register_member_area_parts()
