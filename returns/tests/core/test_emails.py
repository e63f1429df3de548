"""The shopper hears at each step: emails queued after the commit, in their language."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from returns import services
from returns.models import Refund, RefundStatus, ReturnStatus
from returns.notifications import return_email_build, return_email_queue
from returns.tests.core.support import html_of, taipei
from returns.tests.factories import delivered_order, line_input, return_request_make

pytestmark = pytest.mark.django_db

S = ReturnStatus


@pytest.fixture
def order():
    return delivered_order(language="en", customer_name="Amy", email="amy@example.com")


def sent(capture, call):
    """Run `call` with its after-commit callbacks run; the messages it sent."""
    mail.outbox.clear()
    with capture(execute=True):
        result = call()
    return result, list(mail.outbox)


def test_asking_sends_requested(order, django_capture_on_commit_callbacks):
    line = order.lines.order_by("pk").first()

    request, [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: services.return_request_create(
            order=order,
            user=order.user,
            email=order.email,
            lines=[line_input(line, 1, "wrong_size")],
            resolution="refund",
            method="cvs",
        ),
    )

    assert message.to == ["amy@example.com"]
    assert message.subject == (
        f"[Hinoki Living] We have received your return request {request.number}"
    )
    assert "Dear Amy," in message.body
    assert f"{line.product_title}" in message.body
    assert "× 1: Wrong size" in message.body
    assert "Resolution: Refund to the original payment" in message.body
    assert f"Return number: {request.number} (order {order.number})" in message.body
    assert request.number in html_of(message)


def test_approval_sends_the_code_and_the_steps(
    order, staff, monkeypatch, django_capture_on_commit_callbacks
):
    request = return_request_make(order=order)
    monkeypatch.setattr(timezone, "now", lambda: taipei("2026-12-01 10:00"))

    approved, [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: services.return_request_approve(request=request, actor=staff),
    )

    assert message.subject == (
        f"[Hinoki Living] Return {request.number} approved: how to send it back"
    )
    code = approved.return_code
    assert f"Return code: {code}" in message.body
    assert (
        "1. Take the parcel to a 7-ELEVEN or FamilyMart by Dec. 15, 2026 and give "
        f"the return code {code} at the counter."
    ) in message.body
    assert f"2. Write the return number {request.number} on the parcel." in (
        message.body
    )
    assert code in html_of(message)


def test_self_ship_approval_gives_the_return_address(
    order, staff, settings, django_capture_on_commit_callbacks
):
    settings.RETURN_ADDRESS = {
        "name": "Hinoki Returns",
        "phone": "02-2700-1234",
        "postal_code": "106",
        "address": "B1, 390 Fuxing S. Rd.",
    }
    request = return_request_make(order=order, method="self")

    _approved, [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: services.return_request_approve(request=request, actor=staff),
    )

    assert "Hinoki Returns\n106 B1, 390 Fuxing S. Rd.\n02-2700-1234" in message.body
    assert "Return code" not in message.body
    assert "Keep the receipt and enter the tracking number" in message.body


def test_rejection_says_why(order, staff, django_capture_on_commit_callbacks):
    request = return_request_make(order=order)

    _r, [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: services.return_request_reject(
            request=request, actor=staff, reason="The seal is broken."
        ),
    )

    assert message.subject == (
        f"[Hinoki Living] Return {request.number} could not be accepted"
    )
    assert "Reason: The seal is broken." in message.body


def test_receipt_gives_the_refund_deadline(
    order, staff, django_capture_on_commit_callbacks
):
    request = return_request_make(order=order, status=S.IN_TRANSIT)
    [unit_id] = request.lines.values_list("units__pk", flat=True)

    received, [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: services.return_units_receive(
            request=request, received_unit_ids=[unit_id], actor=staff
        ),
    )

    assert (
        message.subject == f"[Hinoki Living] Your return {request.number} has arrived"
    )
    assert "We will inspect it and complete it by" in message.body
    # A second parcel for the same return sends nothing more.
    assert received.refund_due_by is not None


def test_staff_steps_without_news_for_the_shopper_send_nothing(
    order, staff, django_capture_on_commit_callbacks
):
    request = return_request_make(order=order, status=S.APPROVED)

    _r, messages = sent(
        django_capture_on_commit_callbacks,
        lambda: services.return_request_mark_shipped(
            request=request, tracking_number="1"
        ),
    )

    assert messages == []


def test_exchange_and_expiry_emails(order, staff, django_capture_on_commit_callbacks):
    exchange = return_request_make(
        order=order, status=S.INSPECTED, resolution="exchange"
    )
    _r, [done] = sent(
        django_capture_on_commit_callbacks,
        lambda: services.exchange_fulfil(request=exchange, actor=staff),
    )
    assert done.subject == (
        f"[Hinoki Living] Your exchange for return {exchange.number} is on its way"
    )
    assert "In exchange for: 另一個選項" in done.body

    approved = return_request_make(order=order, line_index=1, status=S.APPROVED)
    _n, [expired] = sent(
        django_capture_on_commit_callbacks,
        lambda: services.return_requests_expire(
            now=approved.ship_by.replace(year=2100)
        ),
    )
    assert expired.subject == f"[Hinoki Living] Return {approved.number} has expired"
    assert "it was not sent back by" in expired.body


@pytest.mark.parametrize("kind", ["refunded", "credited"])
def test_resolution_emails_show_the_latest_refund(order, kind):
    request = return_request_make(order=order, status=S.INSPECTED)
    Refund.objects.create(
        request=request,
        order=order,
        idempotency_key=f"test:{request.pk}",
        status=RefundStatus.SUCCEEDED,
        currency="TWD",
        total=Decimal("1330"),
        to_payment=Decimal("1200") if kind == "refunded" else Decimal("0"),
        to_credit=Decimal("130") if kind == "refunded" else Decimal("1330"),
        credit_bonus=Decimal("0") if kind == "refunded" else Decimal("66"),
        points_restored=50,
        points_reversed=12,
        created_at=timezone.now(),
    )

    message = return_email_build(request=request, kind=kind)

    assert "Refund: NT$1,330" in message.body
    if kind == "refunded":
        assert "NT$1,200 to your original payment" in message.body
        assert "NT$130 as shopping credit" in message.body
    else:
        assert "NT$1,330 as shopping credit (including a NT$66 bonus)" in message.body
    assert "50 points given back" in message.body
    assert "12 earned points taken back" in message.body
    assert "NT$1,330" in html_of(message)


def test_emails_are_written_in_the_orders_language(django_capture_on_commit_callbacks):
    order = delivered_order(language="zh-hant")
    request = return_request_make(order=order)

    message = return_email_build(request=request, kind="requested")

    # The template's own words follow the order, whatever the active language.
    assert '<html lang="zh-hant">' in html_of(message)


def test_nothing_is_mailed_before_the_commit_or_for_an_unknown_kind(
    order, django_capture_on_commit_callbacks
):
    request = return_request_make(order=order)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        return_email_queue(request, "approved")

    assert len(callbacks) == 1 and mail.outbox == []
    with pytest.raises(ValueError):
        return_email_queue(request, "closed")


def test_the_link_leads_a_member_to_the_return_and_a_guest_to_the_lookup(settings):
    settings.SITE_URL = "https://shop.example/"
    member = return_request_make()
    guest = return_request_make(order=delivered_order(guest=True))

    member_mail = return_email_build(request=member, kind="requested")
    guest_mail = return_email_build(request=guest, kind="requested")

    assert f"https://shop.example/returns/{member.number}/" in member_mail.body
    assert (
        f"https://shop.example/returns/guest/?number={guest.order.number}"
        in guest_mail.body
    )
