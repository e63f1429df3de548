"""Members with birthdays, for the birthday-gift tests."""

from datetime import date

from loyalty.tests.points_support import member, set_tier, taipei

LONG_AGO = "2020-01-01 12:00"


def birthday_member(
    birthday: date | None,
    *,
    tier: str = "gold",
    set_at: str | None = LONG_AGO,
    joined: str = LONG_AGO,
    **fields,
):
    """A member of `tier` born on `birthday`, who set it at `set_at` and joined
    at `joined` (both on the shop's clock)."""
    user = member(
        birthday=birthday,
        birthday_set_at=taipei(set_at) if set_at else None,
        date_joined=taipei(joined),
        **fields,
    )
    set_tier(user, tier)
    return user
