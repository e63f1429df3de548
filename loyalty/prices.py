"""Member prices: what a tier pays for many variants at once, and the teaser.

A variant's price for a tier is the tier's explicit price (`TierPrice`, matched
by tier code so it survives new versions of the tier rules) or else the list
price less the tier's member discount, rounded as the shop charges
(`money_round`), and never above the list price. Guests and members below the
top tier also get a teaser: the price one tier up, when it is lower.

The shopper context (`loyalty.shopper.LoyaltyShopper`) calls
`variant_prices_for_tier` once per page, cart or quote: the tiers come from the
cached `tiers_active()` and every explicit price of the variants is read in one
query, skipped altogether while the shop has no explicit prices (a cached
fact, cleared by the services below and by the back office).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from loyalty.errors import LoyaltyError
from loyalty.models import Tier, TierPrice
from loyalty.selectors.programme import tiers_active
from shop.core.money import Money, money_round
from shop.core.shopper import PricedVariant, VariantPrice

TIER_PRICES_EXIST_KEY = "loyalty:tier-prices-exist"
# Bounds how long a write that bypassed the services (a bulk import) goes
# unnoticed; the services and the back office clear it at once.
TIER_PRICES_EXIST_TIMEOUT = 60
_HUNDRED = Decimal(100)


# --- Reads --------------------------------------------------------------------


def tier_prices_exist() -> bool:
    """Whether the shop has any explicit tier price at all; cached.

    Most shops price members by discount alone: they then never pay for the
    explicit-price query.
    """
    found = cache.get(TIER_PRICES_EXIST_KEY)
    if found is None:
        found = TierPrice.objects.exists()
        cache.set(TIER_PRICES_EXIST_KEY, found, TIER_PRICES_EXIST_TIMEOUT)
    return found


def tier_prices_for_variants(
    *, variant_ids: Iterable[Any], tier_codes: Iterable[str]
) -> dict[tuple[Any, str], Decimal]:
    """Explicit prices {(variant id, tier code): price} of these variants and
    tiers. One query, none when there is nothing to look for.
    """
    variant_ids = set(variant_ids)
    tier_codes = set(tier_codes)
    if not variant_ids or not tier_codes or not tier_prices_exist():
        return {}
    rows = TierPrice.objects.filter(
        variant_id__in=variant_ids, tier_code__in=tier_codes
    ).values_list("variant_id", "tier_code", "price")
    return {(variant_id, code): price for variant_id, code, price in rows}


def tier_in_force(tier: Tier | None) -> Tier | None:
    """The active scheme's tier with the code of `tier` (a member may still
    point at a tier of a retired scheme version); `tier` itself if the active
    scheme has no such code.
    """
    if tier is None:
        return None
    tiers = tiers_active()
    for candidate in tiers:
        if candidate.pk == tier.pk:
            return candidate
    for candidate in tiers:
        if candidate.code == tier.code:
            return candidate
    return tier


def tier_price_label(tier: Tier) -> str:
    """What a member's price is called, e.g. "金卡會員價"."""
    # Translators: under a member's price, e.g. "金卡會員價"; %(tier)s is a tier.
    return _("%(tier)s price") % {"tier": tier.display_name}


def tier_teaser_label(tier: Tier) -> str:
    """What goes before a better tier's price, e.g. "金卡會員價" (NT$1,216)."""
    # Translators: followed by a price, e.g. "金卡會員價 NT$1,216".
    return _("%(tier)s members pay") % {"tier": tier.display_name}


def tier_amount(
    *, list_price: Decimal, currency: str, tier: Tier, explicit: Decimal | None
) -> Decimal:
    """One variant's price for `tier`: its explicit price, or the list price
    less the tier's discount; rounded as charged, never above the list price.
    """
    if explicit is not None:
        amount = explicit
    else:
        amount = list_price * (_HUNDRED - tier.discount_percent) / _HUNDRED
    return min(money_round(amount, currency), list_price)


def variant_prices_for_tier(
    variants: Iterable[PricedVariant], *, tier: Tier | None
) -> dict[Any, VariantPrice]:
    """Prices {variant pk: VariantPrice} of `variants` for a member of `tier`
    (None: a guest, who pays the list price).

    `label` names the tier when its price is below the list price. The teaser
    (`teaser_label`, `teaser_price`) is the price of the next tier up when
    lower than the shopper's; a guest is teased with the lowest tier that
    pays less, the one joining (or the least spend) gets them. At most one
    query, for every variant together (see `tier_prices_for_variants`).
    """
    variants = list(variants)
    if not variants:
        return {}
    tiers = tiers_active()
    if tier is None:
        candidates = tiers
    else:
        candidates = [t for t in tiers if t.rank > tier.rank][:1]
    codes = {t.code for t in candidates}
    if tier is not None:
        codes.add(tier.code)
    explicit = tier_prices_for_variants(
        variant_ids=(v.pk for v in variants), tier_codes=codes
    )
    labels: dict[tuple[int, bool], str] = {}

    def label(of: Tier, *, teaser: bool = False) -> str:
        key = (of.pk, teaser)
        if key not in labels:
            labels[key] = (tier_teaser_label if teaser else tier_price_label)(of)
        return labels[key]

    prices: dict[Any, VariantPrice] = {}
    for variant in variants:
        currency = variant.currency
        list_amount = Decimal(variant.price)
        list_price = Money(list_amount, currency)
        compare_at = (
            Money(variant.compare_at_price, currency)
            if variant.compare_at_price is not None
            else None
        )
        amount = list_amount
        price_label = ""
        if tier is not None:
            amount = tier_amount(
                list_price=list_amount,
                currency=currency,
                tier=tier,
                explicit=explicit.get((variant.pk, tier.code)),
            )
            if amount < list_amount:
                price_label = label(tier)
                if compare_at is None:
                    compare_at = list_price
        teaser_label, teaser_price = "", None
        for candidate in candidates:
            teaser_amount = tier_amount(
                list_price=list_amount,
                currency=currency,
                tier=candidate,
                explicit=explicit.get((variant.pk, candidate.code)),
            )
            if teaser_amount < amount:
                teaser_label = label(candidate, teaser=True)
                teaser_price = Money(teaser_amount, currency)
                break
        prices[variant.pk] = VariantPrice(
            price=Money(amount, currency),
            list_price=list_price,
            compare_at=compare_at,
            label=price_label,
            teaser_label=teaser_label,
            teaser_price=teaser_price,
        )
    return prices


# --- Writes -------------------------------------------------------------------


def tier_prices_changed(**kwargs) -> None:
    """Forget whether the shop has explicit tier prices; call after bulk writes.

    Cleared now and again once the transaction commits, so a request that read
    the old state in between cannot keep it cached.
    """
    cache.delete(TIER_PRICES_EXIST_KEY)
    transaction.on_commit(lambda: cache.delete(TIER_PRICES_EXIST_KEY))


def tier_price_set(*, variant, tier_code: str, price: Decimal) -> TierPrice:
    """Set `variant`'s explicit price for the tier with `tier_code`.

    The code must be one of the active scheme's tiers. Raises LoyaltyError for
    an unknown code or a negative price.
    """
    if tier_code not in {t.code for t in tiers_active()}:
        raise LoyaltyError(_("There is no tier “%(code)s”.") % {"code": tier_code})
    if isinstance(price, float):
        raise TypeError("money must not come from a float")
    price = Decimal(price)
    if price < 0:
        raise LoyaltyError(_("A member price cannot be negative."))
    with transaction.atomic():
        tier_price, _created = TierPrice.objects.update_or_create(
            variant=variant, tier_code=tier_code, defaults={"price": price}
        )
        tier_prices_changed()
    return tier_price


def tier_price_remove(*, variant, tier_code: str) -> bool:
    """Remove `variant`'s explicit price for `tier_code`; False if it had none."""
    with transaction.atomic():
        deleted, _rows = TierPrice.objects.filter(
            variant=variant, tier_code=tier_code
        ).delete()
        tier_prices_changed()
    return bool(deleted)


# A single row saved or deleted elsewhere (the shell, a fixture) clears the
# cached fact too; bulk writes send no signal and call `tier_prices_changed`.
post_save.connect(tier_prices_changed, sender=TierPrice, dispatch_uid="tier-prices")
post_delete.connect(
    tier_prices_changed, sender=TierPrice, dispatch_uid="tier-prices-del"
)
