"""The staff roles learn returns: Returns staff work the queue, the merchant all.

`shop.core.roles.ROLE_PERMISSIONS` now gives Returns staff the permissions to
process returns (the queue, units, notes, refunds and bank transfers) and to
look orders and products up, and the Merchant every returns permission; this
applies the table again.
"""

from django.db import migrations

from shop.core.roles import staff_roles_migrate


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0001_initial"),
        ("loyalty", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(staff_roles_migrate, migrations.RunPython.noop)]
