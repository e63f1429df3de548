"""Sensible shipping methods for a Taiwanese shop; the merchant edits them in the admin."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    {
        "code": "home",
        "name": "宅配到府",
        "kind": "home",
        "fee": Decimal("100"),
        "free_shipping_threshold": Decimal("1500"),
        "description": "黑貓宅急便，出貨後 1–2 個工作天送達。",
        "position": 10,
    },
    {
        "code": "cvs-711",
        "name": "7-ELEVEN 超商取貨",
        "kind": "cvs_711",
        "fee": Decimal("60"),
        "free_shipping_threshold": Decimal("990"),
        "description": "到店後簡訊通知，請於 7 天內取件。",
        "position": 20,
    },
    {
        "code": "cvs-family",
        "name": "全家超商取貨",
        "kind": "cvs_family",
        "fee": Decimal("60"),
        "free_shipping_threshold": Decimal("990"),
        "description": "到店後簡訊通知，請於 7 天內取件。",
        "position": 30,
    },
    {
        "code": "store",
        "name": "門市自取",
        "kind": "store",
        "fee": Decimal("0"),
        "free_shipping_threshold": None,
        "description": "備貨完成後通知您到門市取貨。",
        "position": 40,
    },
]


def create_defaults(apps, schema_editor):
    ShippingMethod = apps.get_model("checkout", "ShippingMethod")
    for values in DEFAULTS:
        ShippingMethod.objects.get_or_create(code=values["code"], defaults=values)


def remove_defaults(apps, schema_editor):
    ShippingMethod = apps.get_model("checkout", "ShippingMethod")
    ShippingMethod.objects.filter(code__in=[d["code"] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("checkout", "0002_paymentnotification")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
