from django.db import migrations


def create(apps, schema_editor):
    from loyalty.defaults import default_programme_create

    default_programme_create(apps)


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
