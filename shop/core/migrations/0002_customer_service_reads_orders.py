"""Customer service may read orders, their lines, payments and history.

`shop.core.roles.ROLE_PERMISSIONS` now lists the orders view permissions for
the role; this applies the table again.
"""

from django.db import migrations

from shop.core.roles import staff_roles_sync


def create_all_permissions(apps, using):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None


def sync_roles(apps, schema_editor):
    using = schema_editor.connection.alias
    create_all_permissions(apps, using)
    staff_roles_sync(apps=apps, using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_staff_roles"),
        ("orders", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
