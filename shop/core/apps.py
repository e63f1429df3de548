from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shop.core"
    label = "core"
    verbose_name = _("Shop core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from shop.core.roles import staff_roles_sync_after_migrate

        post_migrate.connect(staff_roles_sync_after_migrate, dispatch_uid="staff_roles")
