"""Races on PostgreSQL: real threads, each with its own database connection."""

import pytest

from returns import services
from returns.errors import IllegalTransition, ReturnError
from returns.models import ReturnEvent, ReturnRequest, ReturnStatus
from returns.tests.factories import (
    delivered_order,
    exchange_variant_for,
    line_input,
    return_request_make,
    staff_user,
)
from shop.catalog.models import StockMovement, Variant
from shop.core.tests.concurrency import run_together_split

pytestmark = pytest.mark.postgres


def _ask(order, line, quantity, **kw):
    return services.return_request_create(
        order=order,
        user=order.user,
        email=order.email,
        lines=[line_input(line, quantity, **kw)],
        resolution="exchange" if kw.get("exchange_variant_id") else "refund",
        method="cvs",
    )


def test_two_requests_for_the_same_units_one_wins(on_postgres, transactional_db):
    order = delivered_order()
    line = order.lines.order_by("pk").first()

    made, errors = run_together_split(
        lambda: _ask(order, line, 2), lambda: _ask(order, line, 2)
    )

    assert len(made) == 1 and len(errors) == 1
    assert isinstance(errors[0], ReturnError)
    assert errors[0].message == (
        "All of this item has already been returned or is in a return."
    )
    assert ReturnRequest.objects.count() == 1


def test_two_exchanges_for_the_last_unit_one_wins(on_postgres, transactional_db):
    first, second = delivered_order(), delivered_order()
    line_a = first.lines.order_by("pk").first()
    last = exchange_variant_for(line_a, stock=1)
    line_b = second.lines.order_by("pk").first()
    Variant.objects.filter(pk=line_b.variant_id).update(product=line_a.product)
    line_b.product = line_a.product
    line_b.save(update_fields=["product"])

    made, errors = run_together_split(
        lambda: _ask(first, line_a, 1, exchange_variant_id=last.pk),
        lambda: _ask(second, line_b, 1, exchange_variant_id=last.pk),
    )

    assert len(made) == 1 and len(errors) == 1
    assert errors[0].code == "out_of_stock"
    assert Variant.objects.get(pk=last.pk).stock == 0
    assert StockMovement.objects.filter(variant=last).count() == 1
    assert ReturnRequest.objects.count() == 1


def test_two_staff_approving_at_once_approve_once(on_postgres, transactional_db):
    request = return_request_make()
    one, two = staff_user(), staff_user()

    done, errors = run_together_split(
        lambda: services.return_request_approve(request=request, actor=one),
        lambda: services.return_request_approve(request=request, actor=two),
    )

    assert len(done) == 1 and len(errors) == 1
    assert isinstance(errors[0], IllegalTransition)
    assert (
        ReturnEvent.objects.filter(
            request=request, to_status=ReturnStatus.APPROVED
        ).count()
        == 1
    )
