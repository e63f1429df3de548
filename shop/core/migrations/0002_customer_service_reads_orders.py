"""Customer service may read orders, their lines, payments and history.

`shop.core.roles.ROLE_PERMISSIONS` now lists the orders view permissions for
the role; this applies the table again.
"""

from django.db import migrations

from shop.core.roles import staff_roles_migrate




class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_staff_roles"),
        ("orders", "0001_initial"),
    ]

    operations = [migrations.RunPython(staff_roles_migrate, migrations.RunPython.noop)]
