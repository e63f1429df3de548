"""Races on PostgreSQL: real threads, each with its own database connection."""

from decimal import Decimal

import pytest

from loyalty.credit.services import credit_reconcile
from loyalty.models import PointsEntry
from loyalty.services.points import points_lot_differences
from returns.errors import ReturnError
from returns.models import Refund, RefundStatus, RefundUnit
from returns.services.refunds import provider_refund, refund_issue
from returns.tests.factories import staff_user
from returns.tests.money.support import inspected_return, mixed_order
from shop.checkout.payments.sandbox import SandboxCardGateway
from shop.core.tests.concurrency import run_together
from shop.orders.models import Payment
from shop.orders.status import PaymentStatus

pytestmark = pytest.mark.postgres


def test_two_staff_refunding_at_once_make_one_refund(on_postgres, transactional_db):
    order = mixed_order()
    request = inspected_return(order, {0: 1, 1: 1})
    alice, bob = staff_user(), staff_user()

    outcomes = run_together(
        lambda: refund_issue(request=request, actor=alice),
        lambda: refund_issue(request=request, actor=bob),
    )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    # The second waited for the first's lock, then found its refund by the key.
    assert outcomes[0].pk == outcomes[1].pk
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.to_payment == Decimal(682 + 342)
    assert RefundUnit.objects.count() == 2
    payment = Payment.objects.get(order=order)
    assert len(payment.data["sandbox_refunds"]) == 1
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert PointsEntry.objects.filter(order=order, kind="restore").exists()
    assert points_lot_differences() == []
    assert credit_reconcile() == []


def test_refunds_under_different_keys_at_once_refund_the_units_once(
    on_postgres, transactional_db
):
    order = mixed_order()
    request = inspected_return(order, {0: 1})

    outcomes = run_together(
        lambda: refund_issue(request=request, actor=None, idempotency_key="a"),
        lambda: refund_issue(request=request, actor=None, idempotency_key="b"),
    )

    refunds = [o for o in outcomes if isinstance(o, Refund)]
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refunds) == 1 and len(errors) == 1
    assert isinstance(errors[0], ReturnError) and errors[0].code == "not_inspected"
    assert Refund.objects.count() == 1
    assert len(Payment.objects.get(order=order).data["sandbox_refunds"]) == 1


def test_provider_retries_at_once_refund_the_money_once(
    on_postgres, transactional_db, monkeypatch
):
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    real = SandboxCardGateway.refund

    def down(self, **kwargs):
        raise ConnectionError("the provider is down")

    monkeypatch.setattr(SandboxCardGateway, "refund", down)
    refund = refund_issue(request=request, actor=None)
    assert refund.status == RefundStatus.PENDING
    monkeypatch.setattr(SandboxCardGateway, "refund", real)

    outcomes = run_together(
        lambda: provider_refund(Refund.objects.get(pk=refund.pk)),
        lambda: refund_issue(request=request, actor=None),
    )

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert {o.status for o in outcomes} == {RefundStatus.SUCCEEDED}
    payment = Payment.objects.get(order=order)
    assert list(payment.data["sandbox_refunds"]) == [refund.idempotency_key]
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    moves = payment.events.filter(to_status=PaymentStatus.PARTIALLY_REFUNDED)
    assert moves.count() == 1
