from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from shop.orders import services
from shop.orders.notifications import order_email_build, order_email_send_later
from shop.orders.status import OrderStatus as S
from shop.orders.tasks import send_order_email
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


def parts(message):
    """(text body, html body) of a sent message."""
    html = [
        content for content, mimetype in message.alternatives if mimetype == "text/html"
    ]
    assert len(html) == 1
    return message.body, html[0]


def test_email_goes_out_only_after_commit(django_capture_on_commit_callbacks):
    order = order_with_lines(language="en")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_email_send_later(order=order, kind="placed")

    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_unknown_kind_is_a_programming_error():
    order = order_with_lines()

    with pytest.raises(ValueError):
        order_email_send_later(order=order, kind="refunded")


def test_placed_email_in_english(settings):
    settings.DEFAULT_FROM_EMAIL = "shop@hinoki.example"
    order = order_with_lines(
        language="en", email="amy@example.com", customer_name="Amy"
    )

    send_order_email(order.pk, "placed")

    [message] = mail.outbox
    assert (
        message.subject == f"[Hinoki Living] We have received your order {order.number}"
    )
    assert message.to == ["amy@example.com"]
    assert message.from_email == "shop@hinoki.example"
    text, html = parts(message)
    assert "Dear Amy," in text
    assert "Total: NT$3,090" in text
    assert "Subtotal: NT$3,010" in text
    assert "運費（宅配）: NT$80" in text
    assert "× 2: NT$2,560" in text
    assert '<html lang="en">' in html
    assert "NT$3,090" in html
    assert f"http://127.0.0.1:8000/account/orders/{order.number}/" in html
    assert "&lt;" not in text


def test_placed_email_is_written_in_the_orders_language():
    order = order_with_lines(language="zh-hant", placed_at=timezone.now())

    send_order_email(order.pk, "placed")

    [message] = mail.outbox
    text, html = parts(message)
    assert '<html lang="zh-hant">' in html
    # Django's own zh-Hant formats: the date reads 2026年11月22日.
    placed = timezone.localtime(order.placed_at)
    assert f"{placed.year}年{placed.month}月{placed.day}日" in text


def test_payment_instructions_name_the_account_amount_and_deadline(settings):
    settings.ATM_PAYMENT_DAYS = 3
    settings.ATM_BANK_ACCOUNT = {
        "bank_code": "812",
        "bank_name": "台新銀行",
        "account": "2888-1000-123456",
        "holder": "檜木生活有限公司",
    }
    placed = timezone.make_aware(timezone.datetime(2026, 11, 20, 10, 30))
    order = order_with_lines(language="en", placed_at=placed)

    send_order_email(order.pk, "payment_instructions")

    [message] = mail.outbox
    assert message.subject == f"[Hinoki Living] How to pay for order {order.number}"
    text, html = parts(message)
    assert "Bank: 812 台新銀行" in text
    assert "Account number: 2888-1000-123456" in text
    assert "Account holder: 檜木生活有限公司" in text
    assert "Amount: NT$3,090" in text
    assert "Pay by: Nov. 23, 2026, 10:30 a.m." in text
    assert "not paid within 3 days is cancelled" in text
    assert "2888-1000-123456" in html


def test_payment_instructions_without_bank_setting(settings):
    del settings.ATM_BANK_ACCOUNT
    order = order_with_lines(language="en")

    send_order_email(order.pk, "payment_instructions")

    text, _html = parts(mail.outbox[0])
    assert "Account number: \n" in text


def test_lifecycle_sends_each_email_once_after_commit(
    django_capture_on_commit_callbacks,
):
    order = order_with_lines(language="en", payment_method="atm")

    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_ship(order=order, carrier="T-Cat", tracking_number="9012-3456")
    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_delivered(order=order)

    assert [m.subject for m in mail.outbox] == [
        f"[Hinoki Living] Payment received for order {order.number}",
        f"[Hinoki Living] Order {order.number} is on its way",
        f"[Hinoki Living] Order {order.number} has been delivered",
    ]
    shipped_text, shipped_html = parts(mail.outbox[1])
    assert "Carrier: T-Cat" in shipped_text
    assert "Tracking number: 9012-3456" in shipped_text
    assert "9012-3456" in shipped_html
    delivered_text, delivered_html = parts(mail.outbox[2])
    order.refresh_from_db()
    ends = timezone.localtime(order.delivered_at + timedelta(days=7))
    assert "You have a 7-day cooling-off period" in delivered_text
    assert f"{ends:%b}. {ends.day}, {ends.year}" in delivered_text or (
        f"{ends:%B} {ends.day}, {ends.year}" in delivered_text
    )
    assert "7-day cooling-off period" in delivered_html


def test_cancelled_email_gives_reason_and_refund(django_capture_on_commit_callbacks):
    order = order_with_lines(language="en", status=S.PENDING_PAYMENT)
    services.order_mark_paid(order=order)

    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, reason="Out of stock")

    [message] = mail.outbox
    assert message.subject == f"[Hinoki Living] Order {order.number} has been cancelled"
    text, html = parts(message)
    assert "Reason: Out of stock" in text
    assert "we will refund NT$3,090 to you" in text
    assert "Out of stock" in html


def test_nothing_is_sent_when_the_transition_fails(django_capture_on_commit_callbacks):
    order = order_with_lines(status=S.SHIPPED)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(services.IllegalTransition):
            services.order_cancel(order=order, reason="")

    assert mail.outbox == []


@pytest.mark.parametrize(
    "kind",
    ["placed", "payment_instructions", "paid", "shipped", "delivered", "cancelled"],
)
def test_every_kind_renders_both_parts(kind):
    order = order_with_lines(language="en", status=S.DELIVERED)
    order.delivered_at = timezone.now()
    order.save()

    message = order_email_build(order=order, kind=kind)

    text, html = parts(message)
    assert order.number in message.subject
    assert order.number in text
    assert html.startswith("<!DOCTYPE html>")
    assert "{%" not in text and "{{" not in html


def test_task_for_a_deleted_order_does_nothing():
    assert send_order_email(999999, "placed") is False
    assert mail.outbox == []


def test_smtp_errors_are_retried():
    import smtplib

    assert smtplib.SMTPException in send_order_email.autoretry_for
