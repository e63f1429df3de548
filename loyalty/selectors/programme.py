"""The programme settings and the tiers in force, cached per process.

Both are read on nearly every request (prices, the header, checkout), change
rarely, and are cleared by the services that change them
(`programme_cache_clear`).
"""

from __future__ import annotations

from django.core.cache import cache

from loyalty.models import LoyaltyProgramme, SchemeStatus, Tier

_PROGRAMME_KEY = "loyalty:programme"
_TIERS_KEY = "loyalty:tiers"
# With a shared cache (Redis) a change reaches every worker at once; with the
# per-process default it reaches the others within this many seconds.
_TIMEOUT = 60


def programme() -> LoyaltyProgramme:
    """The settings row (created with defaults if missing)."""
    found = cache.get(_PROGRAMME_KEY)
    if found is None:
        found, _created = LoyaltyProgramme.objects.get_or_create(pk=1)
        cache.set(_PROGRAMME_KEY, found, _TIMEOUT)
    return found


def tiers_active() -> list[Tier]:
    """The active scheme's tiers, lowest rank first."""
    found = cache.get(_TIERS_KEY)
    if found is None:
        found = list(
            Tier.objects.filter(scheme__status=SchemeStatus.ACTIVE)
            .select_related("scheme")
            .order_by("rank")
        )
        cache.set(_TIERS_KEY, found, _TIMEOUT)
    return found


def tier_base() -> Tier:
    """The tier every member starts in: the lowest rank of the active scheme.

    A database without an active scheme (a flushed test database, a shop whose
    data migration was faked) gets the default one rather than an error.
    """
    tiers = tiers_active()
    if not tiers:
        from loyalty.defaults import default_programme_create

        default_programme_create()
        programme_cache_clear()
        tiers = tiers_active()
    return tiers[0]


def tier_next(tier: Tier) -> Tier | None:
    """The tier above `tier` in the active scheme, or None at the top."""
    for candidate in tiers_active():
        if candidate.rank > tier.rank:
            return candidate
    return None


def programme_cache_clear() -> None:
    cache.delete_many([_PROGRAMME_KEY, _TIERS_KEY])
