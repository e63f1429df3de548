"""Sensible shipping methods for a Taiwanese shop; the merchant edits them in the admin."""

from django.db import migrations

from shop.checkout.defaults import DEFAULTS, shipping_methods_ensure_defaults

def create_defaults(apps, schema_editor):
    shipping_methods_ensure_defaults(model=apps.get_model("checkout", "ShippingMethod"))


def remove_defaults(apps, schema_editor):
    ShippingMethod = apps.get_model("checkout", "ShippingMethod")
    ShippingMethod.objects.filter(code__in=[d["code"] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("checkout", "0002_paymentnotification")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
