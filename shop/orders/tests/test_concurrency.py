"""Order moves under concurrent calls (PostgreSQL only).

Two clerks cancelling the same order, or the beat task cancelling an unpaid
order while the merchant marks it paid: the row lock in each service makes the
second caller see the first one's result, so stock comes back once and a paid
order is never cancelled by the sweep.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.catalog.models import StockMovement, Variant
from shop.core.tests.concurrency import run_together_split
from shop.orders import services
from shop.orders.errors import IllegalTransition
from shop.orders.models import Order, OrderEvent
from shop.orders.status import OrderStatus as S
from shop.orders.status import PaymentStatus as P
from shop.orders.tests.factories import order_with_lines

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_cancels_restock_once(on_postgres):
    order = order_with_lines()

    def cancel():
        return services.order_cancel(
            order=Order.objects.get(pk=order.pk), reason="race"
        )

    results, errors = run_together_split(cancel, cancel, cancel)

    assert len(results) == 1
    assert len(errors) == 2
    assert all(isinstance(error, IllegalTransition) for error in errors)
    assert sorted(
        Variant.objects.filter(order_lines__order=order).values_list("stock", flat=True)
    ) == [10, 10]
    assert (
        StockMovement.objects.filter(
            reason=StockMovement.Reason.ORDER_CANCELLED, reference=order.number
        ).count()
        == 2
    )
    assert OrderEvent.objects.filter(order=order, to_status=S.CANCELLED).count() == 1


def test_payment_racing_the_unpaid_sweep_leaves_a_consistent_order(on_postgres):
    order = order_with_lines(placed_at=timezone.now() - timedelta(days=4))

    def pay():
        return services.order_mark_paid(order=Order.objects.get(pk=order.pk))

    def sweep():
        return services.order_cancel_unpaid(order=Order.objects.get(pk=order.pk))

    _results, errors = run_together_split(pay, sweep)

    order.refresh_from_db()
    payment = order.payments.get()
    cancelled = StockMovement.objects.filter(
        reason=StockMovement.Reason.ORDER_CANCELLED, reference=order.number
    )
    if order.status == S.PAID:
        # Payment won: the sweep found nothing to do.
        assert errors == []
        assert payment.status == P.PAID
        assert not cancelled.exists()
    else:
        # The sweep won: the late payment was refused, the stock came back once.
        assert order.status == S.CANCELLED
        assert [type(error) for error in errors] == [IllegalTransition]
        assert payment.status == P.CANCELLED
        assert cancelled.count() == 2


def test_two_concurrent_mark_paid_pay_once(on_postgres):
    order = order_with_lines()

    def pay():
        return services.order_mark_paid(order=Order.objects.get(pk=order.pk))

    results, errors = run_together_split(pay, pay)

    assert len(results) == 1
    assert [type(error) for error in errors] == [IllegalTransition]
    assert order.payments.get().status == P.PAID
    assert OrderEvent.objects.filter(order=order, to_status=S.PAID).count() == 1
