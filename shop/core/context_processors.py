from django.conf import settings
from django.utils.translation import gettext as _


def shop_name() -> str:
    return settings.SHOP_NAME or _("Hinoki Living")


def shop(request):
    return {
        "SHOP_NAME": shop_name(),
        "SHOP_CURRENCY": settings.SHOP_CURRENCY,
        "SITE_URL": settings.SITE_URL,
    }
