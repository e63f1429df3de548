"""The hosted-card notification endpoint: signed, fresh, once, for the right amount."""

import json
import time
from decimal import Decimal

import pytest

from shop.catalog.tests.factories import VariantFactory
from shop.checkout.models import PaymentNotification
from shop.checkout.payments import payment_gateway
from shop.checkout.tests.helpers import place
from shop.core.shopper import PublicShopper
from shop.orders.models import OrderEvent, Payment, PaymentEvent

NOTIFY = "/api/payments/card/notify/"


@pytest.fixture
def gateway():
    return payment_gateway("card")


@pytest.fixture
def order(shipping_methods):
    variant = VariantFactory(price=Decimal("1280"), stock=3)
    return place(
        shopper=PublicShopper(),
        items={variant.pk: 1},
        method=shipping_methods["home"],
        payment_method="card",
    )


def post_notice(api_client, gateway, body, signature=None):
    return api_client.post(
        NOTIFY,
        data=body,
        content_type="application/json",
        headers={"X-Payment-Signature": signature or gateway.sign(body)},
    )


def snapshot(order):
    """Everything a notice could change."""
    order.refresh_from_db()
    return (
        order.status,
        order.paid_at,
        list(Payment.objects.filter(order=order).values_list("status", "reference")),
        PaymentEvent.objects.count(),
        OrderEvent.objects.filter(order=order).count(),
        PaymentNotification.objects.count(),
    )


def test_a_signed_paid_notice_marks_the_order_paid(
    api_client, gateway, order, django_capture_on_commit_callbacks
):
    payment = order.payments.get()
    body = gateway.notice_body(
        payment=payment, status="paid", notification_id="n-1", transaction_id="TX-9"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post_notice(api_client, gateway, body)
    assert response.status_code == 200
    assert response.json() == {"status": "paid", "detail": "Payment recorded."}
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "paid"
    assert (payment.status, payment.reference) == ("paid", "TX-9")
    stored = PaymentNotification.objects.get()
    assert (stored.gateway, stored.notification_id, stored.outcome, stored.amount) == (
        "card",
        "n-1",
        "paid",
        Decimal("1380"),
    )


def test_a_replayed_notice_is_refused_and_changes_nothing(api_client, gateway, order):
    payment = order.payments.get()
    body = gateway.notice_body(payment=payment, status="paid", notification_id="n-1")
    assert post_notice(api_client, gateway, body).status_code == 200
    before = snapshot(order)

    response = post_notice(api_client, gateway, body)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This notification has already been processed.",
        "code": "replay",
    }
    assert snapshot(order) == before


@pytest.mark.parametrize(
    "tamper",
    [
        "bad_signature",
        "wrong_secret",
        "stale",
        "future",
        "malformed",
        "not_a_number",
        "year_out_of_range",
        "missing_signature",
    ],
)
def test_badly_signed_or_stale_notices_are_refused_and_change_nothing(
    api_client, gateway, order, tamper, settings
):
    payment = order.payments.get()
    body = gateway.notice_body(payment=payment, status="paid", notification_id="n-2")
    signature = gateway.sign(body)
    if tamper == "bad_signature":
        body = body.replace(b'"n-2"', b'"n-3"')
    elif tamper == "wrong_secret":
        settings.PAYMENT_SANDBOX_SECRET = "guessed"
        signature = gateway.sign(body)
        settings.PAYMENT_SANDBOX_SECRET = "sandbox-secret-change-me"
    elif tamper in ("stale", "future"):
        # Well past the 300 s window, so a slow run cannot drift back inside it.
        shift = -400 if tamper == "stale" else 400
        body = gateway.notice_body(
            payment=payment,
            status="paid",
            notification_id="n-2",
            timestamp=int(time.time()) + shift,
        )
        signature = gateway.sign(body)
    elif tamper == "malformed":
        body = b'{"id": "n-2", "status": "paid"}'
        signature = gateway.sign(body)
    elif tamper == "not_a_number":
        body = body.replace(f'"amount":"{payment.amount}"'.encode(), b'"amount":"sNaN"')
        signature = gateway.sign(body)
    elif tamper == "year_out_of_range":
        body = gateway.notice_body(
            payment=payment, status="paid", notification_id="n-2", timestamp=10**15
        )
        signature = gateway.sign(body)
    elif tamper == "missing_signature":
        signature = " "
    before = snapshot(order)

    response = post_notice(api_client, gateway, body, signature=signature)

    assert response.status_code == 400
    expected = {
        "bad_signature": "bad_signature",
        "wrong_secret": "bad_signature",
        "missing_signature": "bad_signature",
        "stale": "stale",
        "future": "stale",
        "malformed": "malformed",
        "not_a_number": "malformed",
        "year_out_of_range": "malformed",
    }[tamper]
    assert response.json()["code"] == expected
    assert snapshot(order) == before


def test_an_amount_mismatch_is_refused(api_client, gateway, order):
    payment = order.payments.get()
    body = gateway.notice_body(
        payment=payment, status="paid", notification_id="n-4", amount=Decimal("1")
    )
    before = snapshot(order)
    response = post_notice(api_client, gateway, body)
    assert response.status_code == 400
    assert response.json()["code"] == "amount_mismatch"
    assert snapshot(order) == before


def test_a_paid_notice_for_an_already_paid_order_records_no_second_payment(
    api_client, gateway, order
):
    payment = order.payments.get()
    first = gateway.notice_body(payment=payment, status="paid", notification_id="n-5")
    assert post_notice(api_client, gateway, first).status_code == 200
    paid_at = Payment.objects.get(pk=payment.pk).paid_at
    second = gateway.notice_body(payment=payment, status="paid", notification_id="n-6")

    response = post_notice(api_client, gateway, second)

    assert response.status_code == 200
    assert response.json()["status"] == "already_paid"
    assert list(
        Payment.objects.filter(order=order).values_list("status", flat=True)
    ) == ["paid"]
    assert Payment.objects.get(pk=payment.pk).paid_at == paid_at
    assert PaymentEvent.objects.filter(payment=payment, to_status="paid").count() == 1
    assert list(
        PaymentNotification.objects.order_by("id").values_list(
            "notification_id", "outcome"
        )
    ) == [("n-5", "paid"), ("n-6", "already_paid")]


def test_a_failed_notice_marks_the_payment_failed(api_client, gateway, order):
    payment = order.payments.get()
    body = gateway.notice_body(payment=payment, status="failed", notification_id="n-7")
    response = post_notice(api_client, gateway, body)
    assert response.status_code == 200
    assert response.json()["status"] == "failed"
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == ("failed", "pending_payment")


def test_unknown_references_gateways_and_methods(
    api_client, gateway, order, shipping_methods
):
    payment = order.payments.get()
    body = json.loads(
        gateway.notice_body(payment=payment, status="paid", notification_id="x")
    )
    body["reference"] = f"{order.number}-999999"
    raw = json.dumps(body).encode()
    response = post_notice(api_client, gateway, raw)
    assert (response.status_code, response.json()["code"]) == (400, "unknown_payment")
    assert api_client.post("/api/payments/nope/notify/", data={}).status_code == 404
    assert api_client.post("/api/payments/cod/notify/", data={}).status_code == 404
    cod_order = place(
        shopper=PublicShopper(),
        items={VariantFactory().pk: 1},
        method=shipping_methods["store"],
        payment_method="cod",
    )
    body["reference"] = f"{cod_order.number}-{cod_order.payments.get().pk}"
    response = post_notice(api_client, gateway, json.dumps(body).encode())
    assert (response.status_code, response.json()["code"]) == (400, "unknown_payment")
