"""Handling the returned units: receipt (partial allowed), inspection, exchange.

Units arrive per unit, possibly in several parcels; a unit may be flagged
missing. Each received unit is inspected once: restocked (back to the
variant's stock, ledgered under the RMA number), damaged or the wrong item
(neither goes back to stock). An exchange is fulfilled from the stock held
since the request for the units that really came back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from returns.errors import IllegalTransition, ReturnError
from returns.models import (
    ExchangeReservation,
    Resolution,
    ReturnRequest,
    ReturnStatus,
    ReturnUnit,
    UnitCondition,
)
from returns.notifications import return_email_queue
from returns.selectors import return_policy
from returns.services.lifecycle import (
    request_lock,
    request_refresh,
    return_status_change,
)
from returns.services.requests import exchange_reference
from returns.status import return_can_move
from shop.catalog.models import StockMovement
from shop.catalog.stock import stock_return


def unit_label(unit: ReturnUnit) -> str:
    """A unit as staff see it: "有機棉 素色T恤 M / 白 (unit 2 of the line)"."""
    line = unit.line.order_line
    name = f"{line.product_title} {line.variant_label}".strip()
    return _("%(product)s (unit %(number)d)") % {
        "product": name,
        "number": unit.unit_index + 1,
    }


def _ids(values: Iterable) -> set[int]:
    try:
        return {int(value) for value in values}
    except (TypeError, ValueError):
        raise ReturnError(_("Choose units of this return."), field="units") from None


def _refuse_move(locked: ReturnRequest, to_status: str) -> None:
    if not return_can_move(locked.status, to_status):
        raise IllegalTransition(
            _("Return %(number)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "number": locked.number,
                "from": ReturnStatus(locked.status).label,
                "to": ReturnStatus(to_status).label,
            },
            code="illegal_transition",
        )


def _units_lock(request) -> dict[int, ReturnUnit]:
    """{pk: unit} of `request`, locked (not their lines), with the order line."""
    return {
        unit.pk: unit
        for unit in ReturnUnit.objects.select_for_update(of=("self",))
        .filter(line__request=request)
        .select_related("line__order_line")
    }


def return_units_receive(
    *,
    request: ReturnRequest,
    received_unit_ids: Iterable[int],
    missing_unit_ids: Iterable[int] = (),
    actor,
) -> ReturnRequest:
    """Record a parcel: the units in it, and the units missing from it.

    May be called once per parcel (the status stays "received"); a unit
    flagged missing may still arrive later, a received unit cannot go
    missing or be received twice. The first call sets `received_at` and the
    refund deadline `refund_due_by` = received_at + the policy's
    `refund_deadline_days` (15 by default) and queues the "received" email.
    """
    received = _ids(received_unit_ids)
    missing = _ids(missing_unit_ids)
    if not received and not missing:
        raise ReturnError(
            _("Choose the units that arrived or are missing."), field="units"
        )
    if received & missing:
        raise ReturnError(
            _("A unit cannot be both received and missing."), field="units"
        )
    now = timezone.now()
    with transaction.atomic():
        locked = request_lock(request)
        _refuse_move(locked, ReturnStatus.RECEIVED)
        units = _units_lock(locked)
        if (received | missing) - units.keys():
            raise ReturnError(_("Choose units of this return."), field="units")
        for pk in received | missing:
            if units[pk].received_at is not None:
                raise ReturnError(
                    _("%(unit)s was already received.")
                    % {"unit": unit_label(units[pk])},
                    field="units",
                )
        changed = []
        for pk in received:
            units[pk].received_at, units[pk].missing = now, False
            changed.append(units[pk])
        for pk in missing:
            units[pk].missing = True
            changed.append(units[pk])
        ReturnUnit.objects.bulk_update(changed, ["received_at", "missing"])
        first = locked.received_at is None
        note = ngettext(
            "%(count)d unit received.", "%(count)d units received.", len(received)
        ) % {"count": len(received)}
        if missing:
            note += " " + ngettext(
                "%(count)d unit missing.", "%(count)d units missing.", len(missing)
            ) % {"count": len(missing)}
        locked = return_status_change(
            request=locked, to_status=ReturnStatus.RECEIVED, actor=actor, note=note
        )
        if first:
            # The parcel's time, the same as its units'.
            locked.received_at = now
            locked.refund_due_by = now + timedelta(
                days=return_policy().refund_deadline_days
            )
            locked.save(update_fields=["received_at", "refund_due_by"])
            return_email_queue(locked, "received")
    return request_refresh(request, locked)


def return_units_inspect(
    *, request: ReturnRequest, conditions: Mapping[int, str], actor
) -> ReturnRequest:
    """Record each received unit's condition ({unit id: UnitCondition}).

    "restock" puts the unit back into its variant's stock (`stock_return`,
    reason "return restocked", reference "<RMA> unit <id>", once per unit);
    "damaged" and "wrong_item" do not. Each unit is inspected once. When
    every unit is inspected or missing the request moves to "inspected"
    (an empty `conditions` does that when only missing units are left).
    """
    wanted: dict[int, str] = {}
    for key, condition in conditions.items():
        if condition not in UnitCondition.values:
            raise ReturnError(
                _("Choose the condition of each unit."), field="conditions"
            )
        wanted[next(iter(_ids([key])))] = condition
    now = timezone.now()
    with transaction.atomic():
        locked = request_lock(request)
        _refuse_move(locked, ReturnStatus.INSPECTED)
        units = _units_lock(locked)
        for pk in wanted:
            unit = units.get(pk)
            if unit is None:
                raise ReturnError(_("Choose units of this return."), field="units")
            if unit.received_at is None:
                raise ReturnError(
                    _("%(unit)s has not been received.") % {"unit": unit_label(unit)},
                    field="units",
                )
            if unit.inspected_at is not None:
                raise ReturnError(
                    _("%(unit)s was already inspected.") % {"unit": unit_label(unit)},
                    field="units",
                )
        for pk, condition in sorted(wanted.items()):
            unit = units[pk]
            unit.condition, unit.inspected_at = condition, now
            variant_id = unit.line.order_line.variant_id
            if condition == UnitCondition.RESTOCK and variant_id is not None:
                stock_return(
                    items={variant_id: 1},
                    reason=StockMovement.Reason.RETURN_RESTOCKED,
                    reference=f"{locked.number} unit {unit.pk}",
                    actor=actor,
                )
                unit.restocked = True
        ReturnUnit.objects.bulk_update(
            [units[pk] for pk in wanted], ["condition", "inspected_at", "restocked"]
        )
        if all(unit.inspected_at or unit.missing for unit in units.values()):
            locked = return_status_change(
                request=locked, to_status=ReturnStatus.INSPECTED, actor=actor
            )
        elif not wanted:
            raise ReturnError(
                _("Choose the condition of each unit."), field="conditions"
            )
    return request_refresh(request, locked)


def exchange_fulfil(*, request: ReturnRequest, actor) -> ReturnRequest:
    """Send the replacements of an inspected exchange; the request is resolved.

    Each line's reserved stock goes to the units that came back (received,
    not the wrong item); the rest of the reservation returns to stock. Queues
    the "exchanged" email.
    """
    with transaction.atomic():
        locked = request_lock(request)
        if locked.resolution != Resolution.EXCHANGE:
            raise ReturnError(
                _("Return %(number)s is not an exchange.") % {"number": locked.number},
                code="not_exchange",
            )
        _refuse_move(locked, ReturnStatus.RESOLVED)
        now = timezone.now()
        reservations = list(
            ExchangeReservation.objects.select_for_update()
            .filter(
                line__request=locked,
                released_at__isnull=True,
                fulfilled_at__isnull=True,
            )
            .select_related("line")
            .prefetch_related("line__units")
        )
        unused: dict[int, int] = {}
        for reservation in reservations:
            came_back = sum(
                1
                for unit in reservation.line.units.all()
                if unit.received_at is not None
                and unit.condition != UnitCondition.WRONG_ITEM
            )
            used = min(came_back, reservation.quantity)
            if used < reservation.quantity:
                unused[reservation.variant_id] = (
                    unused.get(reservation.variant_id, 0) + reservation.quantity - used
                )
            if used:
                # What the ledger took for it, less what went back just now.
                reservation.quantity = used
                reservation.fulfilled_at = now
            else:
                reservation.released_at = now
        if unused:
            stock_return(
                items=unused,
                reason=StockMovement.Reason.ORDER_CANCELLED,
                reference=f"{exchange_reference(locked.number)} unused",
                actor=actor,
            )
        ExchangeReservation.objects.bulk_update(
            reservations, ["quantity", "fulfilled_at", "released_at"]
        )
        sent = sum(r.quantity for r in reservations)
        locked = return_status_change(
            request=locked,
            to_status=ReturnStatus.RESOLVED,
            actor=actor,
            note=ngettext(
                "%(count)d replacement sent.", "%(count)d replacements sent.", sent
            )
            % {"count": sent},
        )
        return_email_queue(locked, "exchanged")
    return request_refresh(request, locked)
