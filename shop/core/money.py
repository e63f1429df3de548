"""Money: a Decimal amount with a currency code, rounded in one place.

Amounts are never floats. `money_round` is the single rounding rule: half up
to the currency's minor unit as the shop charges it (the New Taiwan dollar is
charged in whole dollars).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

# Minor units as charged; TWD is whole dollars in practice though ISO lists two.
CURRENCY_DECIMALS = {
    "TWD": 0,
    "JPY": 0,
    "KRW": 0,
    "USD": 2,
    "CNY": 2,
    "HKD": 2,
    "EUR": 2,
}
CURRENCY_SYMBOLS = {
    "TWD": "NT$",
    "USD": "US$",
    "CNY": "CN¥",
    "HKD": "HK$",
    "JPY": "JP¥",
    "EUR": "€",
    "KRW": "₩",
}


def currency_decimals(currency: str) -> int:
    return CURRENCY_DECIMALS.get(currency, 2)


def money_round(amount: Decimal | int | str, currency: str) -> Decimal:
    """Round `amount` half up to the minor unit of `currency`."""
    if isinstance(amount, float):
        raise TypeError("money must not come from a float")
    exponent = Decimal(1).scaleb(-currency_decimals(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if isinstance(self.amount, float):
            raise TypeError("money must not come from a float")
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", Decimal(self.amount))

    @classmethod
    def of(cls, amount, currency: str | None = None) -> "Money":
        return cls(Decimal(amount), currency or settings.SHOP_CURRENCY)

    def rounded(self) -> "Money":
        return Money(money_round(self.amount, self.currency), self.currency)

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> "Money":
        return Money(self.amount * Decimal(factor), self.currency)

    def __lt__(self, other: "Money") -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: "Money") -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_money(amount: Decimal | int, currency: str | None = None) -> str:
    """`NT$1,280`: symbol, grouped digits and the currency's decimals."""
    currency = currency or settings.SHOP_CURRENCY
    value = money_round(amount, currency)
    sign = "-" if value < 0 else ""
    # Comma grouping and a point are what zh-Hant, zh-Hans and English all write.
    digits = f"{abs(value):,.{currency_decimals(currency)}f}"
    return f"{sign}{CURRENCY_SYMBOLS.get(currency, currency + ' ')}{digits}"
