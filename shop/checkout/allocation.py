"""Spreading an order-level amount over lines so the shares add up exactly."""

from decimal import Decimal
from typing import TypeVar

from shop.core.money import currency_decimals, money_round

K = TypeVar("K")


def allocate_proportionally(
    amount: Decimal, weights: dict[str, Decimal], currency: str
) -> dict[str, Decimal]:
    """Split `amount` over `weights` in proportion, in the currency's minor units.

    The minor units are shared by `split_units`, so the shares always sum to
    `amount` (rounded by `money_round`) exactly.
    NT$100 over three equal lines gives 34, 33, 33.
    """
    if not weights:
        return {}
    unit = Decimal(1).scaleb(-currency_decimals(currency))
    sign = -1 if amount < 0 else 1
    # An amount finer than the minor unit is first rounded by the shop's one rule.
    units_total = int(money_round(abs(amount), currency) / unit)
    shares = split_units(units_total, weights)
    return {key: sign * shares[key] * unit for key in weights}


def split_units(total: int, weights: dict[K, Decimal]) -> dict[K, int]:
    """Split `total` whole units over `weights` in proportion, summing exactly.

    Largest remainder: every key gets the floor of its exact share, then the
    units left over go one each to the keys with the largest remainders (ties
    to the earlier key). With no positive total weight the units are shared
    evenly. 10 over weights 1, 1, 1 gives 4, 3, 3.
    """
    if not weights:
        return {}
    total_weight = sum(weights.values())
    if total_weight <= 0:
        # Nothing to weigh by (all lines free): share evenly.
        weights = {key: Decimal(1) for key in weights}
        total_weight = Decimal(len(weights))
    exact = {key: Decimal(total) * w / total_weight for key, w in weights.items()}
    floors = {key: int(share) for key, share in exact.items()}
    left = total - sum(floors.values())
    position = {key: i for i, key in enumerate(weights)}
    by_remainder = sorted(
        weights, key=lambda key: (floors[key] - exact[key], position[key])
    )
    for key in by_remainder[:left]:
        floors[key] += 1
    return floors
