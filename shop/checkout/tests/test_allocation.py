from decimal import Decimal

import pytest

from shop.checkout.allocation import allocate_proportionally


def test_hundred_over_three_equal_lines_adds_up_to_the_dollar():
    shares = allocate_proportionally(
        Decimal("-100"),
        {"a": Decimal(300), "b": Decimal(300), "c": Decimal(300)},
        "TWD",
    )
    assert shares == {"a": Decimal("-34"), "b": Decimal("-33"), "c": Decimal("-33")}
    assert sum(shares.values()) == Decimal("-100")


def test_shares_follow_value_and_remainders_go_to_the_largest_fractions():
    # exact shares 14.2857…, 28.5714…, 57.1428… → 14, 29, 57
    shares = allocate_proportionally(
        Decimal("100"), {"a": Decimal(100), "b": Decimal(200), "c": Decimal(400)}, "TWD"
    )
    assert shares == {"a": Decimal(14), "b": Decimal(29), "c": Decimal(57)}


def test_cents_for_two_decimal_currencies():
    shares = allocate_proportionally(
        Decimal("10.00"), {"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)}, "USD"
    )
    assert shares == {"a": Decimal("3.34"), "b": Decimal("3.33"), "c": Decimal("3.33")}


@pytest.mark.parametrize("amount", ["1", "7", "99", "1001", "12345"])
def test_awkward_splits_always_sum_exactly(amount):
    weights = {
        "a": Decimal("333"),
        "b": Decimal("667"),
        "c": Decimal("1"),
        "d": Decimal("49"),
    }
    shares = allocate_proportionally(Decimal(amount), weights, "TWD")
    assert sum(shares.values()) == Decimal(amount)
    assert all(share >= 0 for share in shares.values())


def test_zero_value_lines_share_evenly_and_no_lines_gives_nothing():
    assert allocate_proportionally(
        Decimal("5"), {"a": Decimal(0), "b": Decimal(0)}, "TWD"
    ) == {
        "a": Decimal(3),
        "b": Decimal(2),
    }
    assert allocate_proportionally(Decimal("5"), {}, "TWD") == {}


def test_an_amount_finer_than_the_minor_unit_is_rounded_half_up_first():
    shares = allocate_proportionally(
        Decimal("10.5"), {"a": Decimal(1), "b": Decimal(1)}, "TWD"
    )
    assert shares == {"a": Decimal(6), "b": Decimal(5)}
