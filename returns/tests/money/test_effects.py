"""What a refund sets off besides the money: the order event, the email, the tier."""

from decimal import Decimal

import pytest
from django.core import mail

from loyalty.models import Membership, TierChange
from loyalty.tests.points_support import set_tier
from returns.models import ReturnEvent, ReturnStatus
from returns.services.refunds import refund_issue
from returns.tests.factories import staff_user
from returns.tests.money.support import inspected_return, mixed_order
from shop.orders import signals

pytestmark = pytest.mark.django_db


def test_the_refund_sends_order_refunded_inside_its_transaction():
    order = mixed_order()
    request = inspected_return(order, {0: 1, 2: 1})
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    signals.order_refunded.connect(receiver, dispatch_uid="test.refunded")
    try:
        refund = refund_issue(request=request, actor=staff_user())
    finally:
        signals.order_refunded.disconnect(dispatch_uid="test.refunded")

    [event] = heard
    lines = list(order.lines.order_by("pk"))
    assert event["order"].pk == order.pk
    assert event["amount"] == refund.total == Decimal(809 + 299)
    assert event["lines"] == {lines[0].pk: 1, lines[2].pk: 1}
    assert event["refund"].pk == refund.pk


def test_the_request_is_resolved_and_the_shopper_told(
    django_capture_on_commit_callbacks,
):
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    staff = staff_user()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refund_issue(request=request, actor=staff)

    request.refresh_from_db()
    assert request.status == ReturnStatus.RESOLVED
    assert request.resolved_at is not None
    last = ReturnEvent.objects.filter(request=request).latest("pk")
    assert (last.from_status, last.to_status, last.actor) == (
        ReturnStatus.INSPECTED,
        ReturnStatus.RESOLVED,
        staff,
    )
    assert last.note == "Refund of NT$809"
    [message] = mail.outbox
    assert message.to == [order.email]
    assert request.number in message.subject
    assert "NT$682" in message.body


def test_a_return_lowers_the_spend_but_not_the_tier_until_the_next_evaluation():
    order = mixed_order()
    set_tier(order.user, "gold")
    changes = TierChange.objects.count()
    spend = Membership.objects.get(user=order.user).total_spend

    refund_issue(
        request=inspected_return(order, {0: 3, 1: 2, 2: 1}), actor=staff_user()
    )

    membership = Membership.objects.get(user=order.user)
    assert membership.tier.code == "gold"
    assert TierChange.objects.count() == changes
    assert spend - membership.total_spend == Decimal(2982)
