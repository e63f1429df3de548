from decimal import Decimal

import pytest
from django.utils import translation

from shop.core.money import Money, format_money, money_round


def test_twd_is_rounded_half_up_to_whole_dollars():
    assert money_round(Decimal("1279.5"), "TWD") == Decimal("1280")
    assert money_round(Decimal("1279.49"), "TWD") == Decimal("1279")


def test_usd_keeps_cents():
    assert money_round(Decimal("10.005"), "USD") == Decimal("10.01")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money_round(12.5, "TWD")
    with pytest.raises(TypeError):
        Money(12.5, "TWD")


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans", "en"])
def test_twd_shows_without_decimals(language):
    with translation.override(language):
        assert format_money(Decimal("1280.00"), "TWD") == "NT$1,280"
        assert str(Money(Decimal("-45"), "TWD")) == "-NT$45"


def test_mixing_currencies_is_an_error():
    with pytest.raises(ValueError):
        Money(Decimal(1), "TWD") + Money(Decimal(1), "USD")
