"""Races on PostgreSQL: real threads, each with its own database connection."""

from decimal import Decimal

import pytest

from shop.catalog.models import StockMovement, Variant
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.details import Contact
from shop.checkout.errors import CheckoutError, NotificationRejected
from shop.checkout.models import PaymentNotification
from shop.checkout.payments import payment_gateway
from shop.checkout.payments.services import payment_notification_process
from shop.checkout.tests.helpers import new_key, place
from shop.core.shopper import PublicShopper
from shop.core.tests.concurrency import run_together
from shop.orders.models import Order, Payment, PaymentEvent

pytestmark = pytest.mark.postgres


def buyer(number):
    return Contact(
        email=f"buyer{number}@example.com", name=f"買家{number}", phone="0912345678"
    )


def test_two_buyers_race_for_the_last_unit(
    on_postgres, transactional_db, shipping_methods
):
    last = VariantFactory(stock=1, price=Decimal("2680"), product__title="最後一包")
    method = shipping_methods["home"]

    results = run_together(
        *[
            lambda n=n: place(
                shopper=PublicShopper(),
                items={last.pk: 1},
                method=method,
                contact=buyer(n),
            )
            for n in range(2)
        ]
    )

    orders = [r for r in results if isinstance(r, Order)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(orders) == 1 and len(errors) == 1
    assert isinstance(errors[0], CheckoutError)
    assert errors[0].code == "out_of_stock"
    assert errors[0].message == "最後一包 has just sold out."
    assert Order.objects.count() == 1
    assert Variant.objects.get(pk=last.pk).stock == 0
    assert list(
        StockMovement.objects.values_list("delta", "stock_after", "reference")
    ) == [(-1, 0, orders[0].number)]
    assert Payment.objects.count() == 1


def test_many_buyers_never_oversell(on_postgres, transactional_db, shipping_methods):
    scarce = VariantFactory(stock=3)
    plenty = VariantFactory(stock=100)
    method = shipping_methods["store"]

    results = run_together(
        *[
            lambda n=n: place(
                shopper=PublicShopper(),
                items={plenty.pk: 1, scarce.pk: 1},
                method=method,
                contact=buyer(n),
            )
            for n in range(6)
        ]
    )

    assert sum(isinstance(r, Order) for r in results) == 3
    assert all(
        isinstance(r, Order)
        or (isinstance(r, CheckoutError) and r.code == "out_of_stock")
        for r in results
    )
    assert Variant.objects.get(pk=scarce.pk).stock == 0
    assert Variant.objects.get(pk=plenty.pk).stock == 97
    assert StockMovement.objects.filter(variant=plenty).count() == 3


def test_a_double_submitted_checkout_places_one_order(
    on_postgres, transactional_db, shipping_methods
):
    variant = VariantFactory(stock=5)
    key = new_key()
    method = shipping_methods["cvs-711"]

    results = run_together(
        *[
            lambda: place(
                shopper=PublicShopper(), items={variant.pk: 2}, method=method, key=key
            )
            for _ in range(2)
        ]
    )

    assert all(isinstance(r, Order) for r in results), results
    assert results[0].pk == results[1].pk
    assert sorted(r.placed_just_now for r in results) == [False, True]
    assert Order.objects.count() == 1
    assert Variant.objects.get(pk=variant.pk).stock == 3
    assert StockMovement.objects.count() == 1


def _card_order(shipping_methods):
    variant = VariantFactory(stock=5, price=Decimal("990"))
    return place(
        shopper=PublicShopper(),
        items={variant.pk: 1},
        method=shipping_methods["store"],
        payment_method="card",
    )


def test_the_same_notice_twice_at_once_is_applied_once(
    on_postgres, transactional_db, shipping_methods
):
    order = _card_order(shipping_methods)
    gateway = payment_gateway("card")
    payment = order.payments.get()
    body = gateway.notice_body(payment=payment, status="paid", notification_id="dup-1")
    headers = {gateway.signature_header: gateway.sign(body)}

    def deliver():
        notice = gateway.verify_payload(body=body, headers=headers)
        return payment_notification_process(gateway=gateway, notice=notice)

    results = run_together(deliver, deliver)

    applied = [r for r in results if isinstance(r, PaymentNotification)]
    refused = [r for r in results if isinstance(r, NotificationRejected)]
    assert len(applied) == 1 and len(refused) == 1, results
    assert refused[0].code == "replay"
    order.refresh_from_db()
    assert order.status == "paid"
    assert PaymentNotification.objects.count() == 1
    assert PaymentEvent.objects.filter(to_status="paid").count() == 1


def test_two_different_paid_notices_at_once_pay_once(
    on_postgres, transactional_db, shipping_methods
):
    order = _card_order(shipping_methods)
    gateway = payment_gateway("card")
    payment = order.payments.get()

    def deliver(notice_id):
        body = gateway.notice_body(
            payment=payment, status="paid", notification_id=notice_id
        )
        notice = gateway.verify_payload(
            body=body, headers={gateway.signature_header: gateway.sign(body)}
        )
        return payment_notification_process(gateway=gateway, notice=notice).outcome

    results = run_together(lambda: deliver("a"), lambda: deliver("b"))

    assert sorted(results) == ["already_paid", "paid"]
    assert list(
        Payment.objects.filter(order=order).values_list("status", flat=True)
    ) == ["paid"]
    assert PaymentEvent.objects.filter(to_status="paid").count() == 1
