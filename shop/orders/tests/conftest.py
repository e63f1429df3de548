import pytest

from shop.orders import signals


@pytest.fixture
def received():
    """Every domain event sent while the test runs: {signal name: [kwargs, ...]}."""
    log: dict[str, list[dict]] = {}
    receivers = []
    for name in (
        "order_placed",
        "order_paid",
        "order_shipped",
        "order_delivered",
        "order_completed",
        "order_cancelled",
        "order_refunded",
    ):

        def receiver(sender, _name=name, **kwargs):
            kwargs.pop("signal", None)
            log.setdefault(_name, []).append(kwargs)

        getattr(signals, name).connect(receiver, weak=False)
        receivers.append((getattr(signals, name), receiver))
    yield log
    for signal, receiver in receivers:
        signal.disconnect(receiver)


@pytest.fixture
def staff(db):
    from shop.accounts.tests.factories import StaffFactory

    return StaffFactory(is_superuser=True, email="merchant@example.com")


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language, whatever the .po files say."""
    from django.utils import translation

    with translation.override("en"):
        yield
