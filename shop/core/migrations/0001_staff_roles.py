"""Staff roles as groups: Merchant, Customer service, Returns staff.

Permissions normally appear only after `migrate` finishes (post_migrate), so
they are created here first for every app migrated so far. The role table is
`shop.core.roles.ROLE_PERMISSIONS`; a later migration extends a role by
editing the table and calling `staff_roles_sync` again.
"""

from django.db import migrations

from shop.core.roles import ROLE_PERMISSIONS, staff_roles_migrate




def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=list(ROLE_PERMISSIONS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sites", "0002_alter_domain_unique"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("socialaccount", "0006_alter_socialaccount_extra_data"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("accounts", "0001_initial"),
        ("catalog", "0003_product_search_index"),
        ("orders", "0001_initial"),
        ("checkout", "0001_initial"),
    ]

    operations = [migrations.RunPython(staff_roles_migrate, remove_roles)]
