"""The returns queue in the back office: columns, filters, search, query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.tests.factories import member_create
from returns.models import (
    Resolution,
    ReturnMethod,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    SerialReturner,
)
from returns.tests.factories import delivered_order, return_request_make
from returns.tests.staff.support import QUEUE_URL, queries_of, queue_numbers
from shop.orders.models import Order

pytestmark = pytest.mark.django_db


def _make(**kwargs) -> ReturnRequest:
    return return_request_make(**kwargs)


def test_a_page_of_the_queue_costs_the_same_queries_for_n_and_n_plus_1_rows(
    desk_client,
):
    # Members and a guest, in different states, with histories to read.
    _make()
    _make(status=ReturnStatus.RECEIVED, quantity=2)
    SerialReturner.objects.create(
        user=_make(status=ReturnStatus.APPROVED).user,
        units_bought=3,
        units_returned=2,
        returns_count=3,
        flagged_at=timezone.now(),
    )
    url = reverse(QUEUE_URL)
    before = queries_of(desk_client, url)

    _make(order=delivered_order(guest=True, email="guest@example.com"))
    _make(status=ReturnStatus.INSPECTED, resolution=Resolution.CREDIT)

    assert queries_of(desk_client, url) == before
    assert queries_of(desk_client, url, {"status": "open"}) == before


def test_the_row_shows_customer_history_units_and_a_serial_returner_badge(
    desk_client,
):
    customer = member_create(email="cara@example.com", name="Cara")
    order = delivered_order(user=customer, customer_name="Cara Lin")
    request = _make(order=order, status=ReturnStatus.RECEIVED, quantity=2)
    SerialReturner.objects.create(
        user=customer,
        units_bought=3,
        units_returned=2,
        returns_count=1,
        flagged_at=timezone.now(),
    )

    response = desk_client.get(reverse(QUEUE_URL))
    html = response.content.decode()

    assert request.number in html
    assert "Cara Lin <small>(member)</small>" in html
    assert "serial returner" in html
    assert "1 return · 2 of 3 units (66.7%)" in html
    assert '<td class="field-units_display">2/2</td>' in html
    assert "Changed my mind" in html


def test_the_refund_deadline_is_highlighted_when_close_or_passed(desk_client):
    soon = _make(status=ReturnStatus.RECEIVED)
    late = _make(status=ReturnStatus.RECEIVED)
    calm = _make(status=ReturnStatus.RECEIVED)
    now = timezone.now()
    ReturnRequest.objects.filter(pk=soon.pk).update(
        refund_due_by=now + timedelta(days=2, hours=3)
    )
    ReturnRequest.objects.filter(pk=late.pk).update(
        refund_due_by=now - timedelta(days=1, hours=2)
    )
    ReturnRequest.objects.filter(pk=calm.pk).update(
        refund_due_by=now + timedelta(days=10)
    )

    html = desk_client.get(reverse(QUEUE_URL)).content.decode()

    assert 'class="return-due return-due-soon"' in html
    assert "due in 2 days" in html
    assert 'class="return-due return-due-overdue"' in html
    assert "overdue by 1 day" in html
    # Due first come first: overdue, then soon, then the rest.
    assert queue_numbers(desk_client)[:3] == [late.number, soon.number, calm.number]


def test_filters_by_status_reason_resolution_method_age_and_deadline(desk_client):
    requested = _make(reason=ReturnReason.DEFECTIVE)
    rejected = _make(status=ReturnStatus.REJECTED)
    credit = _make(status=ReturnStatus.APPROVED, resolution=Resolution.CREDIT)
    pickup = _make(method=ReturnMethod.PICKUP)
    received = _make(status=ReturnStatus.RECEIVED)
    closed = _make(status=ReturnStatus.CLOSED)
    ReturnRequest.objects.filter(pk=pickup.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    ReturnRequest.objects.filter(pk=received.pk).update(
        refund_due_by=timezone.now() + timedelta(days=1)
    )

    def numbers(**params):
        return set(queue_numbers(desk_client, **params))

    assert numbers(status="open") == {
        requested.number,
        credit.number,
        pickup.number,
        received.number,
    }
    assert numbers(status="rejected") == {rejected.number}
    assert numbers(status="closed") == {closed.number}
    assert numbers(reason="defective") == {requested.number}
    assert numbers(resolution="credit") == {credit.number}
    assert numbers(method="pickup") == {pickup.number}
    assert numbers(age="older") == {pickup.number}
    assert pickup.number not in numbers(age="today")
    assert numbers(due="soon") == {received.number}
    assert numbers(due="overdue") == set()
    assert numbers(status="open", method="cvs", reason="changed_mind") == {
        credit.number,
        received.number,
    }


def test_search_by_rma_order_email_or_phone(desk_client):
    first = _make()
    second = _make()
    Order.objects.filter(pk=second.order_id).update(phone="+886922333444")

    assert queue_numbers(desk_client, q=first.number.lower()) == [first.number]
    assert queue_numbers(desk_client, q=second.order.number) == [second.number]
    assert queue_numbers(desk_client, q=first.email.upper()) == [first.number]
    assert queue_numbers(desk_client, q="0922-333-444") == [second.number]
    assert queue_numbers(desk_client, q="nobody@example.com") == []


def test_the_bank_account_never_shows_in_the_list(desk_client):
    request = _make(order=delivered_order(payment_method="cod"))
    assert request.bank_account_number == "0012345678901"

    html = desk_client.get(reverse(QUEUE_URL)).content.decode()

    assert request.number in html
    assert "8901" not in html
    assert "王小明 ****" not in html
