from datetime import timedelta

import pytest
from django.utils import timezone

from shop.catalog.models import StockMovement, Variant
from shop.orders import tasks
from shop.orders.models import Order, OrderEvent
from shop.orders.status import OrderStatus as S
from shop.orders.status import PaymentStatus as P
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _deadlines(settings):
    settings.ATM_PAYMENT_DAYS = 3
    settings.COOLING_OFF_DAYS = 7


def status(order):
    return Order.objects.get(pk=order.pk).status


def test_unpaid_transfer_orders_are_cancelled_after_the_deadline_only(received):
    now = timezone.now()
    overdue = order_with_lines(placed_at=now - timedelta(days=3, minutes=1))
    fresh = order_with_lines(placed_at=now - timedelta(days=2, hours=23))
    paid = order_with_lines(placed_at=now - timedelta(days=5), status=S.PAID)
    cod = order_with_lines(payment_method="cod", placed_at=now - timedelta(days=5))
    card = order_with_lines(payment_method="card", placed_at=now - timedelta(days=5))

    assert tasks.cancel_unpaid_transfer_orders() == 1

    assert status(overdue) == S.CANCELLED
    assert overdue.payments.get().status == P.CANCELLED
    assert status(fresh) == S.PENDING_PAYMENT
    assert status(paid) == S.PAID
    assert status(cod) == S.PROCESSING
    assert status(card) == S.PENDING_PAYMENT
    assert sorted(
        Variant.objects.filter(order_lines__order=overdue).values_list(
            "stock", flat=True
        )
    ) == [10, 10]
    assert [call["order"].pk for call in received["order_cancelled"]] == [overdue.pk]


def test_cancel_sweep_is_idempotent():
    order = order_with_lines(placed_at=timezone.now() - timedelta(days=4))

    assert tasks.cancel_unpaid_transfer_orders() == 1
    assert tasks.cancel_unpaid_transfer_orders() == 0

    assert (
        StockMovement.objects.filter(
            reason=StockMovement.Reason.ORDER_CANCELLED, reference=order.number
        ).count()
        == 2
    )
    assert OrderEvent.objects.filter(order=order, to_status=S.CANCELLED).count() == 1


def test_cancel_sweep_honours_a_longer_deadline(settings):
    settings.ATM_PAYMENT_DAYS = 5
    order = order_with_lines(placed_at=timezone.now() - timedelta(days=4))

    assert tasks.cancel_unpaid_transfer_orders() == 0
    assert status(order) == S.PENDING_PAYMENT


def test_delivered_orders_complete_after_cooling_off_only(received):
    now = timezone.now()
    due = order_with_lines(
        status=S.DELIVERED, delivered_at=now - timedelta(days=7, minutes=1)
    )
    cooling = order_with_lines(status=S.DELIVERED, delivered_at=now - timedelta(days=6))
    shipped = order_with_lines(status=S.SHIPPED)

    assert tasks.complete_cooled_off_orders() == 1

    assert status(due) == S.COMPLETED
    assert status(cooling) == S.DELIVERED
    assert status(shipped) == S.SHIPPED
    assert [call["order"].pk for call in received["order_completed"]] == [due.pk]
    event = OrderEvent.objects.get(order=due, to_status=S.COMPLETED)
    assert (event.from_status, event.actor_id) == (S.DELIVERED, None)


def test_complete_sweep_is_idempotent(received):
    order = order_with_lines(
        status=S.DELIVERED, delivered_at=timezone.now() - timedelta(days=8)
    )

    assert tasks.complete_cooled_off_orders() == 1
    assert tasks.complete_cooled_off_orders() == 0

    assert OrderEvent.objects.filter(order=order, to_status=S.COMPLETED).count() == 1
    assert len(received["order_completed"]) == 1


def test_one_failing_order_does_not_stop_the_sweep(monkeypatch):
    first = order_with_lines(placed_at=timezone.now() - timedelta(days=4))
    second = order_with_lines(placed_at=timezone.now() - timedelta(days=4))
    real = tasks.services.order_cancel_unpaid

    def flaky(*, order, now):
        if order.pk == first.pk:
            raise RuntimeError("boom")
        return real(order=order, now=now)

    flaky.__name__ = "order_cancel_unpaid"
    monkeypatch.setattr(tasks.services, "order_cancel_unpaid", flaky)

    assert tasks.cancel_unpaid_transfer_orders() == 1

    assert status(first) == S.PENDING_PAYMENT
    assert status(second) == S.CANCELLED


def test_sweeps_are_scheduled(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "shop.orders.tasks.cancel_unpaid_transfer_orders" in scheduled
    assert "shop.orders.tasks.complete_cooled_off_orders" in scheduled
