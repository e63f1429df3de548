"""Reads: a shopper's returns, the guest lookup, the staff queue, histories."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import timezone

from returns.models import ReturnRequest, ReturnStatus, SerialReturner
from returns.selectors import (
    refund_deadline_state,
    return_for_guest,
    return_for_user,
    return_history_for_customers,
    return_instructions,
    returns_for_order,
    returns_for_user,
    staff_queue,
)
from returns.tests.factories import delivered_order, return_request_make
from shop.catalog.tests.factories import VariantFactory

pytestmark = pytest.mark.django_db

S = ReturnStatus


def touch(requests):
    """Everything a list page shows of each request."""
    for request in requests:
        request.order.number, request.user  # noqa: B018
        for line in request.lines.all():
            line.order_line.product_title  # noqa: B018
            list(line.units.all())
            list(line.photos.all())


def test_a_member_sees_only_their_returns_newest_first(member):
    mine = [return_request_make(order=delivered_order(user=member)) for _ in range(2)]
    return_request_make()  # somebody else's

    assert list(returns_for_user(user=member)) == mine[::-1]
    assert list(returns_for_user(user=AnonymousUser())) == []
    assert list(returns_for_user(user=None)) == []


def test_my_returns_cost_the_same_queries_for_one_or_many(
    member, django_assert_num_queries
):
    return_request_make(order=delivered_order(user=member))
    with django_assert_num_queries(4) as one:
        touch(returns_for_user(user=member))
    return_request_make(order=delivered_order(user=member), quantity=2)
    return_request_make(order=delivered_order(user=member), resolution="exchange")
    with django_assert_num_queries(len(one.captured_queries)):
        touch(returns_for_user(user=member))


def test_a_return_is_shown_only_to_its_member(member):
    request = return_request_make(order=delivered_order(user=member))
    other = return_request_make()

    found = return_for_user(user=member, number=request.number.lower())
    assert found == request
    assert [e.to_status for e in found.events.all()] == ["requested"]
    for user, number in ((member, other.number), (AnonymousUser(), request.number)):
        with pytest.raises(ReturnRequest.DoesNotExist):
            return_for_user(user=user, number=number)


def test_a_guest_finds_a_return_with_its_number_and_the_orders_email():
    order = delivered_order(guest=True, email="Guest@Example.com")
    request = return_request_make(order=order)

    assert return_for_guest(
        number=request.number.lower(), email="guest@example.com "
    ) == (request)
    assert return_for_guest(number=request.number, email="other@example.com") is None
    assert return_for_guest(number="R000-1", email="guest@example.com") is None
    assert return_for_guest(number="", email="") is None


def test_returns_of_an_order():
    order = delivered_order()
    first = return_request_make(order=order)
    second = return_request_make(order=order, line_index=1)

    assert returns_for_order(order=order) == [second, first]


def test_the_queue_filters(staff):
    now = timezone.now()
    requested = return_request_make()
    exchange = return_request_make(resolution="exchange", method="pickup")
    received = return_request_make(status=S.RECEIVED, reason="defective")
    rejected = return_request_make(status=S.REJECTED)
    ReturnRequest.objects.filter(pk=requested.pk).update(
        created_at=now - timedelta(days=10)
    )
    ReturnRequest.objects.filter(pk=exchange.pk).update(
        created_at=now - timedelta(days=3)
    )

    def numbers(**params):
        return {r.number for r in staff_queue(params=params, now=now)}

    everything = {r.number for r in (requested, exchange, received, rejected)}
    assert numbers() == everything
    assert numbers(status="open") == {
        requested.number,
        exchange.number,
        received.number,
    }
    assert numbers(status="rejected") == {rejected.number}
    assert numbers(status="bogus") == everything
    assert numbers(reason="defective") == {received.number}
    assert numbers(resolution="exchange") == {exchange.number}
    assert numbers(method="pickup") == {exchange.number}
    assert numbers(age="older") == {requested.number}
    assert numbers(age="week") == {exchange.number}
    assert numbers(age="today") == {received.number, rejected.number}
    assert numbers(q=received.order.number) == {received.number}
    assert numbers(q=exchange.number.lower()) == {exchange.number}
    assert numbers(due="soon") == set()
    assert numbers(due="overdue") == set()
    ReturnRequest.objects.filter(pk=received.pk).update(
        refund_due_by=now + timedelta(days=2)
    )
    assert numbers(due="soon") == {received.number}
    ReturnRequest.objects.filter(pk=received.pk).update(
        refund_due_by=now - timedelta(hours=1)
    )
    assert numbers(due="overdue") == {received.number}
    query = QueryDict("status=open&resolution=exchange&reason=")
    assert [r.number for r in staff_queue(params=query)] == [exchange.number]


def test_the_queue_puts_the_nearest_refund_deadline_first():
    late = return_request_make(status=S.RECEIVED)
    early = return_request_make(status=S.RECEIVED)
    waiting = return_request_make()
    ReturnRequest.objects.filter(pk=early.pk).update(
        refund_due_by=late.refund_due_by - timedelta(days=1)
    )

    rows = list(staff_queue(params={}))

    assert rows[:2] == [early, late]
    assert rows[2] == waiting
    assert rows[0].units_count == 1


def test_the_queue_costs_the_same_queries_for_one_or_many(django_assert_num_queries):
    return_request_make()
    with django_assert_num_queries(4) as one:
        touch(staff_queue(params={"status": "open"}))
    return_request_make(status=S.RECEIVED, quantity=2)
    return_request_make(resolution="exchange")
    with django_assert_num_queries(len(one.captured_queries)):
        touch(staff_queue(params={"status": "open"}))


def test_the_refund_timer_turns_soon_then_overdue():
    request = return_request_make(status=S.RECEIVED)
    due = request.refund_due_by

    assert refund_deadline_state(request=request, now=due - timedelta(days=4)) == ""
    assert refund_deadline_state(request=request, now=due - timedelta(days=2)) == "soon"
    assert refund_deadline_state(request=request, now=due + timedelta(hours=1)) == (
        "overdue"
    )
    request.status = S.CLOSED
    assert refund_deadline_state(request=request, now=due + timedelta(hours=1)) == ""


def test_customer_histories_in_four_queries(member, django_assert_num_queries):
    cheap = VariantFactory()
    order = delivered_order(user=member, items=[(cheap, 4)])
    return_request_make(order=order, quantity=2, status=S.RECEIVED)
    return_request_make(order=order, quantity=1, status=S.CANCELLED)
    other = return_request_make()
    SerialReturner.objects.create(
        user=member,
        units_bought=4,
        units_returned=2,
        returns_count=1,
        flagged_at=timezone.now(),
    )

    with django_assert_num_queries(4):
        histories = return_history_for_customers(
            user_ids=[member.pk, other.user_id, None]
        )

    mine = histories[member.pk]
    assert (mine.requests, mine.units_returned, mine.units_bought, mine.flagged) == (
        1,
        2,
        4,
        True,
    )
    assert str(mine.rate) == "50.0"
    theirs = histories[other.user_id]
    assert (theirs.requests, theirs.units_returned, theirs.units_bought) == (1, 1, 3)
    assert str(theirs.rate) == "33.3"
    assert return_history_for_customers(user_ids=[None]) == {}


def test_instructions_per_method(settings, staff):
    settings.RETURN_ADDRESS = {"name": "退貨中心", "address": "台北市", "phone": "02"}
    cvs = return_request_make(status=S.APPROVED)
    pickup = return_request_make(status=S.APPROVED, method="pickup")
    self_ship = return_request_make(status=S.APPROVED, method="self")

    shown = return_instructions(request=cvs)
    assert (shown.method, shown.code, shown.address) == ("cvs", cvs.return_code, {})
    assert len(shown.steps) == 2
    courier = return_instructions(request=pickup).steps[0]
    assert courier.startswith("A courier will call you at +886912345678 to collect")
    assert "106 臺北市 大安區 復興南路一段1號" in courier
    own = return_instructions(request=self_ship)
    assert own.address == {
        "name": "退貨中心",
        "phone": "02",
        "postal_code": "",
        "address": "台北市",
    }
    assert return_instructions(request=return_request_make()) is None
