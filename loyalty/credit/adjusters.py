"""Paying part of an order with shopping credit: the last price adjuster.

It runs after the points (settings.CHECKOUT_ADJUSTERS), so credit pays what
is left. The shopper's choice arrives as `options["credit"]`: an amount, or
"max" for as much as allowed; the adjuster also offers the choice (a
CheckoutOffer the review page and the API show).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from loyalty.credit.services import CREDIT_CODE, credit_amount_clean
from loyalty.errors import CreditError
from loyalty.selectors.programme import programme
from loyalty.services.points import POINTS_CODE
from loyalty.shopper import shopper_membership
from shop.checkout.allocation import allocate_proportionally
from shop.checkout.pricing import Adjustment, CheckoutOffer, Quote, QuoteContext
from shop.core.money import Money, currency_decimals, format_money, money_round
from shop.orders.models import AdjustmentKind

OFFER_TEMPLATE = "loyalty/checkout/credit_offer.html"
MAX = "max"


@dataclass(frozen=True)
class CreditLimits:
    """How much credit a member may use on a quote now.

    `most` is 0 when credit cannot be used at all (`reason` says why).
    """

    balance: Decimal
    most: Decimal
    currency: str
    reason: str = ""

    @property
    def usable(self) -> bool:
        return self.most > 0


def _floor(amount: Decimal, currency: str) -> Decimal:
    unit = Decimal(1).scaleb(-currency_decimals(currency))
    return amount.quantize(unit, rounding=ROUND_FLOOR)


def cap_rule_text() -> str:
    """The cap and stacking rules in words, for the offer and the member's page."""
    settings_ = programme()
    if settings_.credit_max_percent >= 100:
        text = _("Shopping credit can pay all of what is left to pay.")
    else:
        text = _(
            "Shopping credit can pay up to %(percent)d%% of what is left to pay."
        ) % {"percent": settings_.credit_max_percent}
    if not settings_.credit_with_points:
        text += " " + _("Credit and points cannot pay the same order.")
    return text


def credit_limits(*, quote: Quote, balance: Decimal) -> CreditLimits:
    """The credit a member with `balance` may use on `quote` now.

    At most the balance; at most `credit_max_percent` % of what is left to
    pay after the points (shipping included), rounded down to the currency;
    never more than what is left. Nothing when points pay part of the order
    and the programme does not let credit and points pay the same order. A
    credit adjustment already in the quote is not counted against it. The
    balance is the cached one: placement checks it again under the lock.
    """
    settings_ = programme()
    currency = quote.currency
    balance = money_round(max(balance, Decimal(0)), currency)

    def limits(most: Decimal, reason: str = "") -> CreditLimits:
        return CreditLimits(
            balance=balance, most=most, currency=currency, reason=reason
        )

    if balance <= 0:
        return limits(Decimal(0), _("You have no shopping credit yet."))
    if not settings_.credit_with_points and any(
        a.code == POINTS_CODE and a.kind == AdjustmentKind.TENDER
        for a in quote.adjustments
    ):
        return limits(
            Decimal(0),
            _(
                "Credit and points cannot pay the same order: remove the points "
                "to pay with credit."
            ),
        )
    already = sum(
        (a.amount.amount for a in quote.adjustments if a.code == CREDIT_CODE),
        Decimal(0),
    )
    left = quote.total.amount - already
    if left <= 0:
        return limits(Decimal(0), _("Nothing is left to pay on this order."))
    by_share = _floor(left * settings_.credit_max_percent / 100, currency)
    return limits(min(balance, by_share, left))


def requested_credit(value) -> Decimal | str | None:
    """`options["credit"]` as None (no credit), "max", or an amount above 0."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() == MAX:
        return MAX
    if isinstance(value, str) and len(value.strip()) > 15:
        raise CreditError(_("Enter an amount."), field=CREDIT_CODE, code="invalid")
    amount = credit_amount_clean(value, field=CREDIT_CODE)
    if amount < 0:
        raise CreditError(
            _("Enter an amount of 0 or more."), field=CREDIT_CODE, code="invalid"
        )
    return amount or None


def _check(requested, limits: CreditLimits) -> Decimal:
    """The amount to use for `requested` within `limits`, or CreditError."""
    currency = limits.currency
    if requested != MAX and requested > limits.balance:
        raise CreditError(
            _("You have only %(amount)s shopping credit.")
            % {"amount": format_money(limits.balance, currency)},
            field=CREDIT_CODE,
            code="credit_unavailable",
        )
    if not limits.usable:
        raise CreditError(limits.reason, field=CREDIT_CODE, code="credit_not_usable")
    if requested == MAX:
        return limits.most
    if requested > limits.most:
        raise CreditError(
            _("You can use at most %(amount)s shopping credit on this order.")
            % {"amount": format_money(limits.most, currency)},
            field=CREDIT_CODE,
            code="credit_too_much",
        )
    return requested


class CreditAdjuster:
    """Members pay part of the order with credit: a TENDER adjustment "credit".

    Asked for more than allowed it raises CreditError saying what is allowed
    instead of quietly using less; checkout shows the message. The amount is
    allocated to the lines in proportion to what each still costs, up to
    their value: when credit also pays the shipping, that part stays on the
    order (like shipping itself), so a returned line never gives back more
    credit than the line cost.
    """

    def adjust(self, quote: Quote, context: QuoteContext):
        shopper = context.shopper
        requested = requested_credit((context.options or {}).get(CREDIT_CODE))
        if not shopper.is_member:
            if requested is not None:
                raise CreditError(
                    _("Log in to pay with shopping credit."),
                    field=CREDIT_CODE,
                    code="login",
                )
            return []
        if not quote.lines:
            return []
        membership = shopper_membership(shopper, "credit_balance")
        balance = membership.credit_balance if membership else Decimal(0)
        if balance <= 0 and requested is None:
            return []
        limits = credit_limits(quote=quote, balance=balance)
        amount = _check(requested, limits) if requested is not None else Decimal(0)
        currency = quote.currency
        quote.offers.append(
            CheckoutOffer(
                key=CREDIT_CODE,
                template_name=OFFER_TEMPLATE,
                context={
                    "balance": str(limits.balance),
                    "max_amount": str(limits.most),
                    "usable": limits.usable,
                    "reason": str(limits.reason),
                    "rule": cap_rule_text(),
                    "applied_amount": str(amount),
                    "applied_max": requested == MAX,
                    "currency": currency,
                },
            )
        )
        if not amount:
            return []
        weights = quote.line_weights()
        on_lines = min(amount, sum((w for w in weights.values() if w > 0), Decimal(0)))
        shares = allocate_proportionally(
            -on_lines, {key: max(w, Decimal(0)) for key, w in weights.items()}, currency
        )
        return [
            Adjustment(
                code=CREDIT_CODE,
                label=_("Paid with shopping credit"),
                amount=Money(-amount, currency),
                kind=AdjustmentKind.TENDER,
                allocations={key: share for key, share in shares.items() if share},
                data={"credit": str(amount)},
            )
        ]
