from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.accounts.tests.factories import StaffFactory
from shop.catalog.models import StockMovement, Variant
from shop.orders import services
from shop.orders.errors import IllegalTransition, OrderError
from shop.orders.models import Order, OrderEvent, PaymentEvent
from shop.orders.status import OrderStatus as S
from shop.orders.status import PaymentStatus as P
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


def events(order):
    """(from, to, actor id, note) of each status change after placement."""
    return list(
        OrderEvent.objects.filter(order=order)
        .exclude(from_status="")
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id", "note")
    )


def payment_events(order):
    return list(
        PaymentEvent.objects.filter(payment__order=order)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id")
    )


@pytest.fixture
def actor():
    return StaffFactory(email="clerk@example.com")


# --- mark paid ----------------------------------------------------------------


def test_mark_paid_moves_order_and_payment(actor, received):
    order = order_with_lines(payment_method="atm")
    payment = order.payments.get()

    returned = services.order_mark_paid(
        order=order, actor=actor, reference="TX-1", note="ATM 末五碼 12345"
    )

    assert returned is order
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == S.PAID
    assert order.paid_at == payment.paid_at
    assert order.paid_at is not None
    assert payment.status == P.PAID
    assert payment.reference == "TX-1"
    assert events(order) == [(S.PENDING_PAYMENT, S.PAID, actor.pk, "ATM 末五碼 12345")]
    assert payment_events(order) == [(P.PENDING, P.PAID, actor.pk)]
    assert list(received) == ["order_paid"]
    assert len(received["order_paid"]) == 1
    assert received["order_paid"][0]["order"].pk == order.pk
    assert received["order_paid"][0]["payment"].pk == payment.pk


def test_mark_paid_twice_is_refused_and_changes_nothing(actor, received):
    order = order_with_lines(payment_method="atm")
    services.order_mark_paid(order=order, actor=actor)

    with pytest.raises(IllegalTransition) as excinfo:
        services.order_mark_paid(order=order, actor=actor)

    assert "cannot be marked paid" in excinfo.value.message or "no payment" in (
        excinfo.value.message
    )
    assert len(received["order_paid"]) == 1
    assert len(events(order)) == 1
    assert len(payment_events(order)) == 1


def test_mark_paid_of_cod_order_in_processing_moves_only_the_payment(actor, received):
    order = order_with_lines(payment_method="cod")
    assert order.status == S.PROCESSING

    services.order_mark_paid(order=order, actor=actor)

    order.refresh_from_db()
    assert order.status == S.PROCESSING
    assert order.paid_at is not None
    assert order.payments.get().status == P.PAID
    assert events(order) == []
    assert payment_events(order) == [(P.PENDING, P.PAID, actor.pk)]
    assert len(received["order_paid"]) == 1


@pytest.mark.parametrize("status", [S.CANCELLED, S.COMPLETED, S.DELIVERED])
def test_mark_paid_refused_for_finished_orders(status, actor, received):
    order = order_with_lines(payment_method="atm", status=status)

    with pytest.raises(IllegalTransition):
        services.order_mark_paid(order=order, actor=actor)

    order.refresh_from_db()
    assert order.status == status
    assert order.payments.get().status == P.PENDING
    assert received == {}


def test_mark_paid_with_another_orders_payment_is_refused(actor):
    order = order_with_lines()
    other = order_with_lines()

    with pytest.raises(IllegalTransition):
        services.order_mark_paid(order=order, payment=other.payments.get(), actor=actor)

    assert Order.objects.get(pk=order.pk).status == S.PENDING_PAYMENT


# --- processing, shipping, delivery --------------------------------------------


def test_start_processing_from_paid(actor):
    order = order_with_lines(status=S.PAID)

    services.order_start_processing(order=order, actor=actor)

    assert order.status == S.PROCESSING
    assert events(order) == [(S.PAID, S.PROCESSING, actor.pk, "")]


def test_start_processing_refuses_unpaid_transfer_order(actor):
    order = order_with_lines(payment_method="atm")

    with pytest.raises(IllegalTransition) as excinfo:
        services.order_start_processing(order=order, actor=actor)

    assert "must be paid" in excinfo.value.message
    assert Order.objects.get(pk=order.pk).status == S.PENDING_PAYMENT
    assert events(order) == []


def test_start_processing_accepts_unpaid_cash_on_delivery(actor):
    order = order_with_lines(payment_method="cod", status=S.PENDING_PAYMENT)

    services.order_start_processing(order=order, actor=actor)

    assert Order.objects.get(pk=order.pk).status == S.PROCESSING
    assert events(order) == [(S.PENDING_PAYMENT, S.PROCESSING, actor.pk, "")]


def test_ship_records_carrier_and_tracking(actor, received):
    order = order_with_lines(status=S.PROCESSING)

    services.order_ship(
        order=order, carrier=" 黑貓宅急便 ", tracking_number=" 9012-3456 ", actor=actor
    )

    order.refresh_from_db()
    assert order.status == S.SHIPPED
    assert order.carrier == "黑貓宅急便"
    assert order.tracking_number == "9012-3456"
    assert order.shipped_at is not None
    assert events(order) == [
        (S.PROCESSING, S.SHIPPED, actor.pk, "黑貓宅急便 9012-3456")
    ]
    assert [r["actor"] for r in received["order_shipped"]] == [actor]
    assert list(received) == ["order_shipped"]


def test_ship_from_paid_passes_through_processing(actor):
    order = order_with_lines(status=S.PAID)

    services.order_ship(
        order=order, carrier="新竹物流", tracking_number="A1", actor=actor
    )

    assert [(f, t) for f, t, _a, _n in events(order)] == [
        (S.PAID, S.PROCESSING),
        (S.PROCESSING, S.SHIPPED),
    ]


@pytest.mark.parametrize(
    "carrier,tracking,field",
    [("", "A1", "carrier"), ("  ", "A1", "carrier"), ("黑貓", "", "tracking_number")],
)
def test_ship_requires_carrier_and_tracking_number(carrier, tracking, field, actor):
    order = order_with_lines(status=S.PROCESSING)

    with pytest.raises(OrderError) as excinfo:
        services.order_ship(
            order=order, carrier=carrier, tracking_number=tracking, actor=actor
        )

    assert excinfo.value.field == field
    assert Order.objects.get(pk=order.pk).status == S.PROCESSING


@pytest.mark.parametrize(
    "status", [S.PENDING_PAYMENT, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.CANCELLED]
)
def test_ship_refused_from(status, actor, received):
    order = order_with_lines(status=status)

    with pytest.raises(IllegalTransition):
        services.order_ship(
            order=order, carrier="黑貓", tracking_number="1", actor=actor
        )

    order.refresh_from_db()
    assert order.status == status
    assert order.tracking_number == ""
    assert received == {}


def test_deliver_records_delivered_at(actor, received):
    order = order_with_lines(status=S.SHIPPED)
    order.payments.update(status=P.PAID)

    services.order_mark_delivered(order=order, actor=actor)

    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert order.delivered_at is not None
    assert events(order) == [(S.SHIPPED, S.DELIVERED, actor.pk, "")]
    assert list(received) == ["order_delivered"]


@pytest.mark.parametrize("status", [S.PAID, S.PROCESSING, S.DELIVERED, S.CANCELLED])
def test_deliver_refused_from(status, actor, received):
    order = order_with_lines(status=status)

    with pytest.raises(IllegalTransition):
        services.order_mark_delivered(order=order, actor=actor)

    assert Order.objects.get(pk=order.pk).status == status
    assert received == {}


def test_cash_on_delivery_path(actor, received):
    """processing → shipped → delivered; the cash is collected on delivery."""
    order = order_with_lines(payment_method="cod")

    services.order_ship(order=order, carrier="黑貓", tracking_number="T1", actor=actor)
    assert order.payments.get().status == P.PENDING
    assert "order_paid" not in received

    services.order_mark_delivered(order=order, actor=actor)

    order.refresh_from_db()
    payment = order.payments.get()
    assert order.status == S.DELIVERED
    assert payment.status == P.PAID
    assert order.paid_at == payment.paid_at
    assert [(f, t) for f, t, _a, _n in events(order)] == [
        (S.PROCESSING, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
    ]
    assert payment_events(order) == [(P.PENDING, P.PAID, actor.pk)]
    assert len(received["order_paid"]) == 1
    assert received["order_paid"][0]["payment"].pk == payment.pk
    assert len(received["order_delivered"]) == 1
    assert len(received["order_shipped"]) == 1


def test_atm_path_to_completion(actor, received):
    order = order_with_lines(payment_method="atm")
    services.order_mark_paid(order=order, actor=actor)
    services.order_start_processing(order=order, actor=actor)
    services.order_ship(order=order, carrier="郵局", tracking_number="P1", actor=actor)
    services.order_mark_delivered(order=order, actor=actor)
    later = order.delivered_at + timedelta(days=7, seconds=1)

    services.order_complete(order=order, now=later)

    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert order.completed_at is not None
    assert [t for _f, t, _a, _n in events(order)] == [
        S.PAID,
        S.PROCESSING,
        S.SHIPPED,
        S.DELIVERED,
        S.COMPLETED,
    ]
    # The system completes the order: nobody acted.
    assert events(order)[-1][2] is None
    assert {name: len(calls) for name, calls in received.items()} == {
        "order_paid": 1,
        "order_shipped": 1,
        "order_delivered": 1,
        "order_completed": 1,
    }


# --- completion ---------------------------------------------------------------


def test_complete_refused_during_cooling_off(received):
    delivered = timezone.now() - timedelta(days=6, hours=23)
    order = order_with_lines(status=S.DELIVERED, delivered_at=delivered)

    with pytest.raises(IllegalTransition) as excinfo:
        services.order_complete(order=order)

    assert "cooling-off" in excinfo.value.message
    assert Order.objects.get(pk=order.pk).status == S.DELIVERED
    assert received == {}


def test_complete_exactly_at_end_of_cooling_off(settings):
    settings.COOLING_OFF_DAYS = 7
    delivered = timezone.now() - timedelta(days=10)
    order = order_with_lines(status=S.DELIVERED, delivered_at=delivered)

    services.order_complete(order=order, now=delivered + timedelta(days=7))

    assert Order.objects.get(pk=order.pk).status == S.COMPLETED


@pytest.mark.parametrize("status", [S.PAID, S.PROCESSING, S.SHIPPED, S.CANCELLED])
def test_complete_refused_before_delivery(status):
    order = order_with_lines(status=status)

    with pytest.raises(IllegalTransition):
        services.order_complete(order=order)

    assert Order.objects.get(pk=order.pk).status == status


# --- cancellation ---------------------------------------------------------------


def stock_of(order):
    return dict(
        Variant.objects.filter(order_lines__order=order).values_list("sku", "stock")
    )


def test_cancel_restocks_exactly_once_and_cancels_pending_payment(actor, received):
    order = order_with_lines(payment_method="atm")
    assert sorted(stock_of(order).values()) == [8, 9]

    services.order_cancel(order=order, actor=actor, reason="客戶要求取消")

    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.cancelled_at is not None
    assert sorted(stock_of(order).values()) == [10, 10]
    returned = StockMovement.objects.filter(
        reason=StockMovement.Reason.ORDER_CANCELLED, reference=order.number
    )
    assert sorted(returned.values_list("delta", flat=True)) == [1, 2]
    assert set(returned.values_list("actor_id", flat=True)) == {actor.pk}
    assert order.payments.get().status == P.CANCELLED
    assert events(order) == [(S.PENDING_PAYMENT, S.CANCELLED, actor.pk, "客戶要求取消")]
    assert len(received["order_cancelled"]) == 1
    assert received["order_cancelled"][0]["previous_status"] == S.PENDING_PAYMENT
    assert received["order_cancelled"][0]["actor"] == actor

    with pytest.raises(IllegalTransition):
        services.order_cancel(order=order, actor=actor, reason="again")

    assert sorted(stock_of(order).values()) == [10, 10]
    assert returned.count() == 2
    assert len(received["order_cancelled"]) == 1


def test_cancel_sums_two_lines_of_the_same_variant(actor):
    from shop.catalog.tests.factories import VariantFactory

    variant = VariantFactory(stock=10)
    order = order_with_lines(items=[(variant, 2)], take_stock=False)
    order.lines.create(
        variant=variant,
        product=variant.product,
        product_title="贈品",
        sku=variant.sku,
        quantity=1,
        list_unit_price=Decimal("0"),
        unit_price=Decimal("0"),
        subtotal=Decimal("0"),
    )

    services.order_cancel(order=order, actor=actor, reason="")

    variant.refresh_from_db()
    assert variant.stock == 13
    movement = StockMovement.objects.get(reference=order.number)
    assert (movement.delta, movement.stock_after) == (3, 13)


def test_cancel_of_paid_order_marks_the_payment_refunded(actor, received):
    order = order_with_lines(payment_method="atm")
    services.order_mark_paid(order=order, actor=actor)

    services.order_cancel(order=order, actor=actor, reason="缺貨")

    payment = order.payments.get()
    assert payment.status == P.REFUNDED
    refund = PaymentEvent.objects.get(payment=payment, to_status=P.REFUNDED)
    assert refund.note == "Order cancelled: NT$3,090 must be returned to the customer."
    assert received["order_cancelled"][0]["previous_status"] == S.PAID


def test_cancel_of_processing_cod_order(actor):
    order = order_with_lines(payment_method="cod")

    services.order_cancel(order=order, actor=actor, reason="")

    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    assert order.payments.get().status == P.CANCELLED


@pytest.mark.parametrize("status", [S.SHIPPED, S.DELIVERED, S.COMPLETED])
def test_cancel_refused_after_shipping(status, actor, received):
    order = order_with_lines(status=status)
    before = stock_of(order)

    with pytest.raises(IllegalTransition) as excinfo:
        services.order_cancel(order=order, actor=actor, reason="")

    assert order.number in excinfo.value.message
    assert Order.objects.get(pk=order.pk).status == status
    assert stock_of(order) == before
    assert not StockMovement.objects.filter(
        reason=StockMovement.Reason.ORDER_CANCELLED
    ).exists()
    assert received == {}


def test_a_failing_receiver_rolls_the_transition_back(actor):
    from shop.orders import signals

    order = order_with_lines(status=S.PROCESSING)

    def explode(sender, **kwargs):
        raise RuntimeError("loyalty is down")

    signals.order_cancelled.connect(explode)
    try:
        with pytest.raises(RuntimeError):
            services.order_cancel(order=order, actor=actor, reason="")
    finally:
        signals.order_cancelled.disconnect(explode)

    assert Order.objects.get(pk=order.pk).status == S.PROCESSING
    assert sorted(stock_of(order).values()) == [8, 9]
    assert events(order) == []


def test_cancel_unpaid_only_after_deadline(settings):
    settings.ATM_PAYMENT_DAYS = 3
    now = timezone.now()
    order = order_with_lines(placed_at=now - timedelta(days=3) + timedelta(minutes=1))

    assert services.order_cancel_unpaid(order=order, now=now) is None
    assert Order.objects.get(pk=order.pk).status == S.PENDING_PAYMENT

    cancelled = services.order_cancel_unpaid(
        order=order, now=now + timedelta(minutes=1)
    )

    assert cancelled.status == S.CANCELLED
    assert events(order) == [
        (S.PENDING_PAYMENT, S.CANCELLED, None, "Not paid within 3 days.")
    ]


def test_cancel_unpaid_leaves_an_order_paid_meanwhile_alone():
    order = order_with_lines(placed_at=timezone.now() - timedelta(days=5))
    services.order_mark_paid(order=Order.objects.get(pk=order.pk))

    assert services.order_cancel_unpaid(order=order) is None
    assert Order.objects.get(pk=order.pk).status == S.PAID
