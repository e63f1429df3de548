"""Two members of staff confirming the same refund page at once, on PostgreSQL."""

import pytest
from django.test import Client

from returns.models import Refund, RefundStatus, ReturnRequest, ReturnStatus
from returns.tests.factories import login, staff_in
from returns.tests.money.support import inspected_return, mixed_order
from returns.tests.staff.support import page_url
from shop.core.roles import RETURNS_STAFF
from shop.core.tests.concurrency import run_together
from shop.orders.models import Payment

pytestmark = pytest.mark.postgres


def test_two_staff_confirming_the_refund_page_at_once_make_one_refund(
    on_postgres, transactional_db
):
    request = inspected_return(mixed_order(), {0: 1})
    clients = [Client(), Client()]
    for n, each in enumerate(clients):
        login(each, staff_in(RETURNS_STAFF, f"desk{n}@example.com"))
    client = clients[0]
    key = client.get(page_url(request, "refund")).context["form"].initial["key"]

    outcomes = run_together(
        *(
            lambda c=c: c.post(page_url(request, "refund"), {"key": key})
            for c in clients
        )
    )

    assert [o.status_code for o in outcomes] == [302, 302], outcomes
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.SUCCEEDED
    assert len(Payment.objects.get(order=request.order).data["sandbox_refunds"]) == 1
    assert ReturnRequest.objects.get(pk=request.pk).status == ReturnStatus.RESOLVED
