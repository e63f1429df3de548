"""The shipping methods a new shop starts with; the merchant edits them in the admin.

Names are shop data in the shop's language, like product titles.
"""

from decimal import Decimal

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


def shipping_methods_ensure_defaults(*, model=None) -> None:
    """Create each default method missing by code; edited ones are left alone."""
    if model is None:
        from shop.checkout.models import ShippingMethod as model
    for values in DEFAULTS:
        model.objects.get_or_create(code=values["code"], defaults=values)
