from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "shop.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        # Connects the signals that drop the cached category tree and facets
        # in every process, not only those that happen to load the storefront.
        from shop.catalog import selectors  # noqa: F401
