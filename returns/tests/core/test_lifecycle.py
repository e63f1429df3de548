"""A return's life: the status machine, the staff's decisions and the stock."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from returns import services
from returns.errors import IllegalTransition, ReturnError
from returns.models import (
    ExchangeReservation,
    ReturnEvent,
    ReturnNote,
    ReturnStatus,
)
from returns.status import RETURN_TRANSITIONS
from returns.tasks import expire_unshipped_returns
from returns.tests.core.support import make, statuses, units_of
from returns.tests.factories import (
    delivered_order,
    return_request_make,
)
from shop.accounts.tests.factories import UserFactory
from shop.catalog.models import StockMovement, Variant

pytestmark = pytest.mark.django_db

S = ReturnStatus
# Every state the factory reaches without a refund (resolved needs an exchange).
REACHABLE = list(S.values)


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("current", REACHABLE)
def test_every_move_of_the_machine_is_allowed_or_refused(current, staff):
    request = make(current)
    assert request.status == current
    for target in S.values:
        allowed = target in RETURN_TRANSITIONS[current]
        try:
            with transaction.atomic():
                if allowed:
                    moved = services.return_status_change(
                        request=request, to_status=target, actor=staff, note="n"
                    )
                    assert moved.status == target
                    last = ReturnEvent.objects.filter(request=request).latest("pk")
                    assert (
                        last.from_status,
                        last.to_status,
                        last.actor,
                        last.note,
                    ) == (
                        current,
                        target,
                        staff,
                        "n",
                    )
                else:
                    with pytest.raises(IllegalTransition) as error:
                        services.return_status_change(
                            request=request, to_status=target, actor=staff
                        )
                    assert error.value.code == "illegal_transition"
                    assert isinstance(error.value, ReturnError)
                raise _Rollback
        except _Rollback:
            request.refresh_from_db()
    assert request.status == current


def test_the_whole_way_writes_one_event_per_move(staff):
    request = make(S.CLOSED)

    assert statuses(request) == [
        ("", "requested"),
        ("requested", "approved"),
        ("approved", "in_transit"),
        ("in_transit", "received"),
        ("received", "inspected"),
        ("inspected", "resolved"),
        ("resolved", "closed"),
    ]
    assert request.approved_at and request.received_at
    assert request.resolved_at and request.closed_at


def test_refused_message_names_the_return_and_both_states(staff):
    request = make(S.REQUESTED)

    with pytest.raises(IllegalTransition) as error:
        services.return_units_receive(
            request=request, received_unit_ids=[units_of(request)[0].pk], actor=staff
        )

    assert error.value.message == (
        f"Return {request.number} cannot go from “Requested” to “Received”."
    )


def test_approving_a_convenience_store_return_gives_a_code_and_a_deadline(staff):
    request = make(S.REQUESTED)

    approved = services.return_request_approve(request=request, actor=staff, note="OK")

    assert approved.status == S.APPROVED
    assert len(approved.return_code) == 12 and approved.return_code.isdigit()
    assert approved.ship_by == approved.approved_at + timedelta(days=14)
    assert statuses(request)[-1] == ("requested", "approved")
    with pytest.raises(IllegalTransition):
        services.return_request_approve(request=request, actor=staff)


@pytest.mark.parametrize("method", ["pickup", "self"])
def test_pickup_and_self_ship_get_a_deadline_and_no_code(method, staff):
    request = make(S.APPROVED, method=method)

    assert request.return_code == ""
    assert request.ship_by == request.approved_at + timedelta(days=14)


def test_rejecting_needs_a_reason_and_releases_the_exchange_stock(staff):
    request = make(S.REQUESTED, resolution="exchange")
    reservation = ExchangeReservation.objects.get(line__request=request)
    variant = reservation.variant
    assert Variant.objects.get(pk=variant.pk).stock == 4

    with pytest.raises(ReturnError) as error:
        services.return_request_reject(request=request, actor=staff, reason=" ")
    assert error.value.field == "reason"

    services.return_request_reject(request=request, actor=staff, reason="已超過使用")

    request.refresh_from_db()
    assert (request.status, request.rejection_reason) == (S.REJECTED, "已超過使用")
    assert Variant.objects.get(pk=variant.pk).stock == 5
    release = StockMovement.objects.filter(variant=variant).latest("pk")
    assert (release.delta, release.reason, release.reference) == (
        1,
        "order_cancelled",
        f"{request.number} exchange",
    )
    reservation.refresh_from_db()
    assert reservation.released_at is not None and reservation.fulfilled_at is None


def test_rejecting_forgets_the_bank_account(staff):
    request = make(S.REQUESTED, order=delivered_order(payment_method="cod"))
    assert request.bank_account_number == "0012345678901"

    services.return_request_reject(request=request, actor=staff, reason="不符")

    request.refresh_from_db()
    assert (
        request.bank_code,
        request.bank_account_name,
        request.bank_account_number,
    ) == (
        "",
        "",
        "",
    )


@pytest.mark.parametrize("status", [S.REQUESTED, S.APPROVED])
def test_the_shopper_cancels_before_shipping(status):
    request = make(status, resolution="exchange")
    variant = ExchangeReservation.objects.get(line__request=request).variant

    cancelled = services.return_request_cancel(request=request, user=request.user)

    assert cancelled.status == S.CANCELLED
    assert Variant.objects.get(pk=variant.pk).stock == 5
    event = ReturnEvent.objects.filter(request=request).latest("pk")
    assert (event.to_status, event.actor, event.note) == (
        "cancelled",
        request.user,
        "Cancelled by the customer.",
    )


def test_the_shopper_cannot_cancel_once_shipped_nor_cancel_anothers():
    shipped = make(S.IN_TRANSIT)
    with pytest.raises(IllegalTransition) as error:
        services.return_request_cancel(request=shipped, user=shipped.user)
    assert error.value.message == (
        f"Return {shipped.number} can no longer be cancelled."
    )

    request = make(S.REQUESTED)
    for somebody in (UserFactory(), None):
        with pytest.raises(ReturnError) as error:
            services.return_request_cancel(request=request, user=somebody)
        assert error.value.code == "not_found"
    request.refresh_from_db()
    assert request.status == S.REQUESTED


def test_a_guests_return_is_cancelled_without_an_account():
    request = make(S.REQUESTED, order=delivered_order(guest=True))

    assert services.return_request_cancel(request=request, user=None).status == (
        S.CANCELLED
    )


def test_marking_shipped_keeps_the_tracking_number():
    request = make(S.APPROVED)

    shipped = services.return_request_mark_shipped(
        request=request, tracking_number=" 7-11-123 ", actor=request.user
    )

    assert (shipped.status, shipped.tracking_number) == (S.IN_TRANSIT, "7-11-123")
    assert ReturnEvent.objects.filter(request=request).latest("pk").note == "7-11-123"


def test_closing_a_resolved_return_forgets_the_bank_account(staff):
    request = make(S.RESOLVED, order=delivered_order(payment_method="atm"))
    assert request.bank_account_number == ""  # an exchange keeps none

    closed = services.return_request_close(request=request, actor=staff)

    assert closed.status == S.CLOSED and closed.closed_at is not None
    with pytest.raises(IllegalTransition):
        services.return_request_close(request=make(S.INSPECTED), actor=staff)


@pytest.mark.parametrize(
    ("conditions", "closes"),
    [
        # Nothing that came back is refunded: nothing else can end the return.
        ({0: "wrong_item", 1: "wrong_item"}, True),
        ({0: "wrong_item", 1: "damaged"}, True),
        ({0: "wrong_item", 1: "restock"}, False),
    ],
)
def test_an_inspected_return_closes_only_when_nothing_is_refunded(
    conditions, closes, staff
):
    request = return_request_make(status=S.RECEIVED, quantity=2)
    units = units_of(request)
    request = services.return_units_inspect(
        request=request,
        conditions={unit.pk: conditions[n] for n, unit in enumerate(units)},
        actor=staff,
    )

    if closes:
        closed = services.return_request_close(request=request, actor=staff)
        assert closed.status == S.CLOSED and closed.closed_at is not None
    else:
        with pytest.raises(IllegalTransition):
            services.return_request_close(request=request, actor=staff)
        request.refresh_from_db()
        assert request.status == S.INSPECTED


def test_an_inspected_exchange_is_fulfilled_not_closed(staff):
    request = make(S.INSPECTED, resolution="exchange", condition="wrong_item")

    with pytest.raises(IllegalTransition):
        services.return_request_close(request=request, actor=staff)


def test_approved_returns_never_shipped_expire_after_their_deadline(staff):
    due = make(S.APPROVED, resolution="exchange")
    later = make(S.APPROVED)
    shipped = make(S.IN_TRANSIT)
    variant_id = ExchangeReservation.objects.get(line__request=due).variant_id
    later.ship_by = due.ship_by + timedelta(days=2)
    later.save(update_fields=["ship_by"])
    shipped.ship_by = due.ship_by
    shipped.save(update_fields=["ship_by"])

    assert services.return_requests_expire(now=due.ship_by) == 0
    assert services.return_requests_expire(now=due.ship_by + timedelta(minutes=1)) == 1
    assert services.return_requests_expire(now=due.ship_by + timedelta(minutes=2)) == 0

    due.refresh_from_db()
    later.refresh_from_db()
    shipped.refresh_from_db()
    assert (due.status, later.status, shipped.status) == (
        S.EXPIRED,
        S.APPROVED,
        S.IN_TRANSIT,
    )
    assert Variant.objects.get(pk=variant_id).stock == 5
    event = ReturnEvent.objects.filter(request=due).latest("pk")
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "approved",
        "expired",
        None,
        "Not shipped back in time.",
    )


def test_the_hourly_task_expires_what_is_due(monkeypatch):
    request = make(S.APPROVED)
    later = request.ship_by + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert expire_unshipped_returns.delay().get() == 1

    request.refresh_from_db()
    assert request.status == S.EXPIRED


def test_staff_notes_need_text(staff):
    request = make(S.REQUESTED)

    with pytest.raises(ReturnError):
        services.return_note_add(request=request, author=staff, text="  ")
    note = services.return_note_add(request=request, author=staff, text=" 已致電 ")

    assert list(ReturnNote.objects.values_list("text", "author")) == [
        ("已致電", staff.pk)
    ]
    assert note.request == request
