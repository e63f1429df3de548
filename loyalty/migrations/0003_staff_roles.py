"""The staff roles learn loyalty: the merchant runs it, customer service reads it.

`shop.core.roles.ROLE_PERMISSIONS` now gives the Merchant every loyalty
permission (with "Can adjust members' points") and Customer service the view
permissions of members, the points ledger and lots, tier changes and
qualifying spend; this applies the table again.
"""

from django.db import migrations

from shop.core.roles import staff_roles_migrate


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0002_default_programme"),
        ("core", "0002_customer_service_reads_orders"),
    ]

    operations = [migrations.RunPython(staff_roles_migrate, migrations.RunPython.noop)]
