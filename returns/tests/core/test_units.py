"""Returned units: receipt per parcel, inspection and restocking, exchanges."""

from datetime import timedelta

import pytest

from returns import services
from returns.errors import IllegalTransition, ReturnError
from returns.models import ExchangeReservation, ReturnEvent, ReturnStatus
from returns.services.units import unit_label
from returns.tests.core.support import make, statuses, units_of
from returns.tests.factories import delivered_order
from shop.catalog.models import StockMovement, Variant

pytestmark = pytest.mark.django_db

S = ReturnStatus


def test_units_are_received_per_parcel_and_missing_ones_flagged(staff):
    order = delivered_order()
    big = order.lines.order_by("pk").first()
    request = services.return_request_approve(
        request=make(S.REQUESTED, order=order, quantity=2), actor=staff
    )
    first_unit, second_unit = units_of(request)
    assert [u.unit_index for u in (first_unit, second_unit)] == [0, 1]
    assert big.quantity == 2

    received = services.return_units_receive(
        request=request,
        received_unit_ids=[first_unit.pk],
        missing_unit_ids=[second_unit.pk],
        actor=staff,
    )

    assert received.status == S.RECEIVED
    assert received.refund_due_by == received.received_at + timedelta(days=15)
    first_unit.refresh_from_db()
    second_unit.refresh_from_db()
    assert first_unit.received_at == received.received_at and not first_unit.missing
    assert second_unit.received_at is None and second_unit.missing
    assert ReturnEvent.objects.filter(request=request).latest("pk").note == (
        "1 unit received. 1 unit missing."
    )

    # The missing unit turns up in a second parcel; the deadline stays.
    again = services.return_units_receive(
        request=request, received_unit_ids=[second_unit.pk], actor=staff
    )
    second_unit.refresh_from_db()
    assert second_unit.received_at is not None and not second_unit.missing
    assert again.refund_due_by == received.refund_due_by
    assert statuses(request)[-2:] == [
        ("approved", "received"),
        ("received", "received"),
    ]


def test_receiving_refuses_what_makes_no_sense(staff):
    request = make(S.IN_TRANSIT, quantity=2)
    one, two = units_of(request)
    other = units_of(make(S.IN_TRANSIT))[0]

    def error_for(received, missing=()):
        with pytest.raises(ReturnError) as error:
            services.return_units_receive(
                request=request,
                received_unit_ids=received,
                missing_unit_ids=missing,
                actor=staff,
            )
        return error.value.message

    assert error_for([]) == "Choose the units that arrived or are missing."
    assert (
        error_for([one.pk], [one.pk]) == "A unit cannot be both received and missing."
    )
    assert error_for([other.pk]) == "Choose units of this return."
    assert error_for(["x"]) == "Choose units of this return."
    services.return_units_receive(
        request=request, received_unit_ids=[one.pk], actor=staff
    )
    assert error_for([one.pk]) == f"{unit_label(one)} was already received."
    assert error_for([], [one.pk]) == f"{unit_label(one)} was already received."


def test_restocking_puts_the_unit_back_into_stock_with_a_ledger_row(staff):
    order = delivered_order()
    big = order.lines.order_by("pk").first()
    request = make(S.RECEIVED, order=order, quantity=2)
    one, two = units_of(request)
    before = Variant.objects.get(pk=big.variant_id).stock

    partly = services.return_units_inspect(
        request=request, conditions={one.pk: "restock"}, actor=staff
    )

    assert partly.status == S.RECEIVED
    assert Variant.objects.get(pk=big.variant_id).stock == before + 1
    movement = StockMovement.objects.filter(variant_id=big.variant_id).latest("pk")
    assert (
        movement.delta,
        movement.stock_after,
        movement.reason,
        movement.reference,
        movement.actor,
    ) == (1, before + 1, "return_restocked", f"{request.number} unit {one.pk}", staff)

    done = services.return_units_inspect(
        request=request, conditions={two.pk: "damaged"}, actor=staff
    )

    assert done.status == S.INSPECTED
    assert Variant.objects.get(pk=big.variant_id).stock == before + 1
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.condition, one.restocked, two.condition, two.restocked) == (
        "restock",
        True,
        "damaged",
        False,
    )
    assert one.inspected_at is not None and two.inspected_at is not None


def test_inspecting_refuses_units_not_received_or_inspected_twice(staff):
    request = make(S.APPROVED, quantity=2)
    one, two = units_of(request)
    services.return_units_receive(
        request=request, received_unit_ids=[one.pk], actor=staff
    )

    def error_for(conditions):
        with pytest.raises(ReturnError) as error:
            services.return_units_inspect(
                request=request, conditions=conditions, actor=staff
            )
        return error.value.message

    assert error_for({two.pk: "restock"}) == f"{unit_label(two)} has not been received."
    assert error_for({one.pk: "lost"}) == "Choose the condition of each unit."
    assert error_for({}) == "Choose the condition of each unit."
    services.return_units_inspect(
        request=request, conditions={one.pk: "wrong_item"}, actor=staff
    )
    assert error_for({one.pk: "restock"}) == f"{unit_label(one)} was already inspected."
    one.refresh_from_db()
    assert not one.restocked


def test_when_only_missing_units_are_left_inspection_can_finish(staff):
    request = make(S.APPROVED)
    [unit] = units_of(request)
    services.return_units_receive(
        request=request, received_unit_ids=[], missing_unit_ids=[unit.pk], actor=staff
    )

    done = services.return_units_inspect(request=request, conditions={}, actor=staff)

    assert done.status == S.INSPECTED


def test_an_exchange_is_fulfilled_from_the_reserved_stock(staff):
    request = make(S.INSPECTED, resolution="exchange")
    reservation = ExchangeReservation.objects.get(line__request=request)

    resolved = services.exchange_fulfil(request=request, actor=staff)

    assert resolved.status == S.RESOLVED and resolved.resolved_at is not None
    reservation.refresh_from_db()
    assert reservation.fulfilled_at is not None and reservation.released_at is None
    assert Variant.objects.get(pk=reservation.variant_id).stock == 4
    assert ReturnEvent.objects.filter(request=request).latest("pk").note == (
        "1 replacement sent."
    )


def test_an_exchange_sends_replacements_only_for_units_that_came_back(staff):
    order = delivered_order()
    request = make(S.APPROVED, order=order, quantity=2, resolution="exchange")
    one, two = units_of(request)
    reservation = ExchangeReservation.objects.get(line__request=request)
    assert Variant.objects.get(pk=reservation.variant_id).stock == 3
    services.return_units_receive(
        request=request,
        received_unit_ids=[one.pk],
        missing_unit_ids=[two.pk],
        actor=staff,
    )
    services.return_units_inspect(
        request=request, conditions={one.pk: "restock"}, actor=staff
    )

    services.exchange_fulfil(request=request, actor=staff)

    reservation.refresh_from_db()
    assert reservation.quantity == 1 and reservation.fulfilled_at is not None
    assert Variant.objects.get(pk=reservation.variant_id).stock == 4
    unused = StockMovement.objects.filter(variant_id=reservation.variant_id).latest(
        "pk"
    )
    assert (unused.delta, unused.reference) == (1, f"{request.number} exchange unused")


def test_only_an_inspected_exchange_is_fulfilled(staff):
    refund = make(S.INSPECTED)
    with pytest.raises(ReturnError) as error:
        services.exchange_fulfil(request=refund, actor=staff)
    assert error.value.code == "not_exchange"

    early = make(S.RECEIVED, resolution="exchange")
    with pytest.raises(IllegalTransition):
        services.exchange_fulfil(request=early, actor=staff)
