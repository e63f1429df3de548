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
        from loyalty.listings import receivers as listings_receivers

        listings_receivers.connect()
        from loyalty.credit import receivers as credit_receivers

        credit_receivers.connect()
        from loyalty.plans import receivers as plans_receivers

        plans_receivers.connect()
        from loyalty.coupons import receivers as coupons_receivers

        coupons_receivers.connect()
        register_member_area_parts()
