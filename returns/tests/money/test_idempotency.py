"""One refund per return however often it is asked for; the provider asked safely;
bank transfers recorded by staff."""

from decimal import Decimal

import pytest

from loyalty.models import CreditEntry, PointsEntry, QualifyingSpend
from returns.errors import ReturnError
from returns.models import Refund, RefundStatus, ReturnRequest, ReturnStatus
from returns.services import return_request_close
from returns.services.refunds import refund_issue, refund_transfer_paid
from returns.tests.factories import staff_user
from returns.tests.money.support import inspected_return, mixed_order
from shop.checkout.payments.sandbox import SandboxCardGateway
from shop.orders.models import Payment
from shop.orders.status import PaymentStatus

pytestmark = pytest.mark.django_db


def _ledger_rows(order) -> tuple[int, int, int]:
    return (
        PointsEntry.objects.filter(order=order).count(),
        CreditEntry.objects.filter(order=order).count(),
        QualifyingSpend.objects.filter(order=order).count(),
    )


def _sandbox_refunds(order) -> dict:
    return Payment.objects.get(order=order).data.get("sandbox_refunds", {})


def test_a_retry_with_the_same_key_returns_the_same_refund():
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    staff = staff_user()

    refund = refund_issue(request=request, actor=staff, idempotency_key="rma-1")
    rows = _ledger_rows(order)
    again = refund_issue(request=request, actor=staff, idempotency_key="rma-1")

    assert again.pk == refund.pk
    assert again.status == RefundStatus.SUCCEEDED
    assert Refund.objects.count() == 1
    assert _ledger_rows(order) == rows
    assert len(_sandbox_refunds(order)) == 1


def test_confirming_twice_without_a_key_makes_one_refund():
    order = mixed_order()
    request = inspected_return(order, {0: 1})

    refund = refund_issue(request=request, actor=staff_user())
    again = refund_issue(request=request, actor=staff_user())

    assert again.pk == refund.pk
    assert refund.idempotency_key.startswith(f"refund:{request.pk}:")
    assert Refund.objects.count() == 1


def test_a_resolved_return_is_not_refunded_again():
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    refund_issue(request=request, actor=staff_user())

    with pytest.raises(ReturnError) as caught:
        refund_issue(request=request, actor=staff_user(), idempotency_key="other")

    assert caught.value.code == "not_inspected"
    assert Refund.objects.count() == 1


def test_the_database_refuses_a_unit_refunded_twice():
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    refund_issue(request=request, actor=staff_user())
    rows = _ledger_rows(order)
    # As if the status check had been passed by a bug or a race.
    ReturnRequest.objects.filter(pk=request.pk).update(status=ReturnStatus.INSPECTED)

    with pytest.raises(ReturnError) as caught:
        refund_issue(
            request=ReturnRequest.objects.get(pk=request.pk),
            actor=staff_user(),
            idempotency_key="second",
        )

    assert caught.value.code == "already_refunded"
    assert caught.value.message == "Some of these items have already been refunded."
    assert Refund.objects.count() == 1
    assert _ledger_rows(order) == rows


def test_an_uninspected_return_is_not_refunded():
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    ReturnRequest.objects.filter(pk=request.pk).update(status=ReturnStatus.RECEIVED)

    with pytest.raises(ReturnError) as caught:
        refund_issue(request=ReturnRequest.objects.get(pk=request.pk), actor=None)

    assert caught.value.code == "not_inspected"
    assert Refund.objects.count() == 0


# --- The payment provider ---------------------------------------------------------


def test_a_provider_that_did_not_answer_is_asked_again_with_the_same_key(
    monkeypatch,
):
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    real = SandboxCardGateway.refund
    calls = []

    def lost_answer(self, **kwargs):
        calls.append(kwargs["idempotency_key"])
        outcome = real(self, **kwargs)
        if len(calls) == 1:
            # The provider refunded, but its answer never arrived.
            raise ConnectionError("timed out")
        return outcome

    monkeypatch.setattr(SandboxCardGateway, "refund", lost_answer)

    refund = refund_issue(request=request, actor=staff_user())
    assert refund.status == RefundStatus.PENDING
    assert Payment.objects.get(order=order).status == PaymentStatus.PAID
    request.refresh_from_db()
    assert request.status == ReturnStatus.RESOLVED

    retried = refund_issue(request=request, actor=staff_user())

    assert retried.pk == refund.pk
    assert retried.status == RefundStatus.SUCCEEDED
    assert calls == [refund.idempotency_key, refund.idempotency_key]
    made = _sandbox_refunds(order)
    assert list(made) == [refund.idempotency_key]
    assert made[refund.idempotency_key]["amount"] == "682.00"
    assert retried.gateway_reference == made[refund.idempotency_key]["reference"]
    assert Payment.objects.get(order=order).status == PaymentStatus.PARTIALLY_REFUNDED


def test_a_declined_refund_is_failed_and_can_be_asked_again():
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    # The provider sees less left on the payment than the refund asks.
    Payment.objects.filter(order=order).update(amount=Decimal(500))

    refund = refund_issue(request=request, actor=staff_user())

    assert refund.status == RefundStatus.FAILED
    assert refund.breakdown["provider_message"] == (
        "The refund is more than is left of the payment."
    )
    Payment.objects.filter(order=order).update(amount=order.total)
    retried = refund_issue(request=request, actor=staff_user())
    assert retried.status == RefundStatus.SUCCEEDED
    assert "provider_message" not in retried.breakdown


def test_the_sandbox_refunds_once_per_key():
    order = mixed_order()
    payment = Payment.objects.get(order=order)
    gateway = SandboxCardGateway("card")

    first = gateway.refund(payment=payment, amount=Decimal(100), idempotency_key="k1")
    again = gateway.refund(payment=payment, amount=Decimal(100), idempotency_key="k1")
    other = gateway.refund(payment=payment, amount=Decimal(100), idempotency_key="k2")

    assert first.succeeded and again == first
    assert other.reference != first.reference
    assert len(_sandbox_refunds(order)) == 2


# --- Bank transfers ------------------------------------------------------------------


def test_an_atm_order_is_refunded_by_a_transfer_staff_record():
    order = mixed_order(payment_method="atm")
    request = inspected_return(order, {0: 1})
    staff = staff_user()

    refund = refund_issue(request=request, actor=staff)

    assert refund.status == RefundStatus.TRANSFER_DUE
    assert refund.breakdown["bank_account"] == "812 王小明 ****8901"
    assert refund.to_payment == Decimal(682)
    assert Payment.objects.get(order=order).status == PaymentStatus.PAID

    paid = refund_transfer_paid(refund=refund, actor=staff, reference="TX-20261130")

    assert paid.status == RefundStatus.SUCCEEDED
    assert paid.gateway_reference == "TX-20261130"
    assert Payment.objects.get(order=order).status == PaymentStatus.PARTIALLY_REFUNDED
    request.refresh_from_db()
    assert (request.bank_code, request.bank_account_number) == ("", "")
    # Recorded twice by mistake: nothing more happens.
    assert (
        refund_transfer_paid(refund=refund, actor=staff, reference="TX-20261130").pk
        == refund.pk
    )
    with pytest.raises(ReturnError) as caught:
        refund_transfer_paid(refund=refund, actor=staff, reference="TX-OTHER")
    assert caught.value.code == "not_transfer_due"


def test_a_return_is_closed_only_once_its_refund_has_gone_through():
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    staff = staff_user()
    # The provider declines: the refund is failed, the shopper still unpaid.
    Payment.objects.filter(order=order).update(amount=Decimal(500))
    assert refund_issue(request=request, actor=staff).status == RefundStatus.FAILED

    with pytest.raises(ReturnError) as caught:
        return_request_close(request=request, actor=staff)
    assert caught.value.code == "refund_unpaid"

    Payment.objects.filter(order=order).update(amount=order.total)
    assert refund_issue(request=request, actor=staff).status == "succeeded"
    closed = return_request_close(request=request, actor=staff)
    assert closed.status == ReturnStatus.CLOSED


def test_a_return_waits_for_its_bank_transfer_before_it_closes():
    order = mixed_order(payment_method="atm")
    request = inspected_return(order, {0: 1})
    staff = staff_user()
    refund = refund_issue(request=request, actor=staff)

    with pytest.raises(ReturnError) as caught:
        return_request_close(request=request, actor=staff)
    # Closing would forget the bank account the transfer needs.
    assert caught.value.code == "transfer_due"

    refund_transfer_paid(refund=refund, actor=staff, reference="TX-1")
    closed = return_request_close(request=request, actor=staff)
    assert closed.status == ReturnStatus.CLOSED


def test_a_transfer_needs_its_reference():
    order = mixed_order(payment_method="cod")
    refund = refund_issue(request=inspected_return(order, {0: 1}), actor=staff_user())

    with pytest.raises(ReturnError) as caught:
        refund_transfer_paid(refund=refund, actor=staff_user(), reference=" ")

    assert caught.value.field == "reference"
