from decimal import Decimal

import pytest

from shop.cart.tests.fixtures import *  # noqa: F403
from shop.checkout.models import ShippingMethod

# The defaults of migration 0003, recreated here: transactional tests flush the
# data migrations leave behind.
METHODS = {
    "home": ("宅配到府", "home", Decimal("100"), Decimal("1500")),
    "cvs-711": ("7-ELEVEN 超商取貨", "cvs_711", Decimal("60"), Decimal("990")),
    "cvs-family": ("全家超商取貨", "cvs_family", Decimal("60"), Decimal("990")),
    "store": ("門市自取", "store", Decimal("0"), None),
}


@pytest.fixture
def shipping_methods(db):
    methods = {}
    for position, (code, (name, kind, fee, threshold)) in enumerate(METHODS.items()):
        methods[code], _created = ShippingMethod.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "fee": fee,
                "free_shipping_threshold": threshold,
                "is_active": True,
                "position": position,
                "description": f"{name}說明",
            },
        )
    return methods


@pytest.fixture
def received():
    """Domain events sent while the test runs: {signal name: [kwargs, ...]}."""
    from shop.orders import signals

    log: dict[str, list[dict]] = {}
    connected = []
    for name in ("order_placed", "order_paid", "order_cancelled"):

        def receiver(sender, _name=name, **kwargs):
            kwargs.pop("signal", None)
            log.setdefault(_name, []).append(kwargs)

        getattr(signals, name).connect(receiver, weak=False)
        connected.append((getattr(signals, name), receiver))
    yield log
    for signal, receiver in connected:
        signal.disconnect(receiver)
