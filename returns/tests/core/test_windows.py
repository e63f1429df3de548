"""Which units may come back, and until when (`line_return_windows`)."""

from datetime import timedelta

import pytest

from returns.models import ReturnStatus
from returns.services import line_return_windows
from returns.tests.core.support import taipei
from returns.tests.factories import delivered_order, return_request_make
from shop.catalog.tests.factories import VariantFactory
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db

DELIVERED = taipei("2026-11-30 10:00")


@pytest.fixture
def order():
    return delivered_order(delivered_at=DELIVERED)


def first(order, now):
    line = order.lines.order_by("pk").first()
    return line_return_windows(order=order, now=now)[line.pk]


def test_inside_the_cooling_off_period(order):
    window = first(order, DELIVERED + timedelta(days=3))

    assert window.refusal == ""
    assert window.in_cooling_off is True
    assert window.returnable_quantity == 2
    assert window.cooling_off_ends == taipei("2026-12-07 10:00")
    assert window.window_ends == taipei("2026-12-30 10:00")


def test_the_last_moment_of_cooling_off_and_the_first_after_it(order):
    assert first(order, taipei("2026-12-07 09:59")).in_cooling_off is True
    after = first(order, taipei("2026-12-07 10:00"))
    assert after.in_cooling_off is False
    assert after.refusal == ""


@pytest.mark.parametrize("day", [8, 15, 30])
def test_days_8_to_30_are_in_the_merchant_window(order, day):
    window = first(order, DELIVERED + timedelta(days=day - 1, hours=23))

    assert window.refusal == ""
    assert window.in_cooling_off is False
    assert window.returnable_quantity == 2


def test_day_31_is_refused_with_the_date_the_window_closed(order):
    window = first(order, DELIVERED + timedelta(days=30, hours=1))

    assert window.refusal == "The return window for this order closed on Dec. 30, 2026."
    assert window.returnable_quantity == 0
    assert window.in_cooling_off is False


def test_the_merchant_window_is_never_shorter_than_cooling_off(order):
    order.return_policy.merchant_window_days = 3
    order.return_policy.save()

    window = first(order, DELIVERED + timedelta(days=6))

    assert window.refusal == ""
    assert window.window_ends == window.cooling_off_ends == taipei("2026-12-07 10:00")


def test_nothing_can_come_back_before_delivery():
    order = order_with_lines()

    windows = line_return_windows(order=order)

    assert {w.refusal for w in windows.values()} == {
        "This order has not been delivered yet."
    }
    assert {w.returnable_quantity for w in windows.values()} == {0}
    assert {w.window_ends for w in windows.values()} == {None}


def test_convenience_store_pickup_counts_from_pickup():
    order = delivered_order(pickup=True, delivered_at=DELIVERED)

    window = first(order, DELIVERED + timedelta(days=6))

    assert window.in_cooling_off is True
    assert window.cooling_off_ends == taipei("2026-12-07 10:00")


def test_a_non_returnable_line_is_refused_with_its_notice_except_when_faulty():
    lotion = VariantFactory(
        product__non_returnable_reason="Opened cosmetics cannot be returned."
    )
    order = delivered_order(items=[(lotion, 2)], delivered_at=DELIVERED)

    window = first(order, DELIVERED + timedelta(days=1))

    assert window.refusal == "Opened cosmetics cannot be returned."
    assert window.faulty_only is True
    assert window.returnable_quantity == 2


def test_units_in_live_returns_are_taken_and_ended_ones_freed(order):
    line = order.lines.order_by("pk").first()
    now = DELIVERED + timedelta(days=2)
    return_request_make(order=order, quantity=1, now=now)
    assert first(order, now).returnable_quantity == 1

    return_request_make(order=order, quantity=1, status=ReturnStatus.REJECTED, now=now)
    return_request_make(order=order, quantity=1, status=ReturnStatus.CANCELLED, now=now)
    return_request_make(order=order, quantity=1, status=ReturnStatus.EXPIRED, now=now)
    assert first(order, now).returnable_quantity == 1

    return_request_make(order=order, quantity=1, status=ReturnStatus.RECEIVED, now=now)
    window = line_return_windows(order=order, now=now)[line.pk]
    assert window.returnable_quantity == 0
    assert window.refusal == (
        "All of this item has already been returned or is in a return."
    )


def test_windows_of_an_order_cost_three_queries(order, django_assert_num_queries):
    order.return_policy  # noqa: B018 - fetched once, as the portal's selector does
    with django_assert_num_queries(3):
        line_return_windows(order=order)
