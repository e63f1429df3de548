"""`privileges` in every template: the member-day banner and the member area's
member-day and birthday section.

Nothing is read until a template asks: the banner reads the cached programme
(and, on a member day, the member's tier from the request's shopper context,
which the page loads once anyway), so guests cost no query.
"""

from __future__ import annotations

from functools import cached_property

from loyalty.privileges.memberday import member_day_today
from loyalty.privileges.selectors import (
    BirthdayOverview,
    MemberDayStatus,
    birthday_overview,
    member_day_status,
)
from shop.core.shopper import shopper_context_class, shopper_for_request


class Privileges:
    def __init__(self, request):
        self.request = request

    @cached_property
    def _member(self) -> bool:
        user = getattr(self.request, "user", None)
        return bool(user is not None and user.is_authenticated)

    @cached_property
    def _shopper(self):
        if not self._member:
            return None
        found = getattr(self.request, "shopper", None)
        return found if found is not None else shopper_for_request(self.request)

    @cached_property
    def _loyalty(self) -> bool:
        # A shopper context without member days (e.g. PublicShopper) shows none.
        return hasattr(shopper_context_class(), "member_day")

    @cached_property
    def banner(self) -> MemberDayStatus | None:
        """Today's member-day status when today is one (for the banner), else None."""
        if not self._loyalty or member_day_today() is None:
            return None
        return member_day_status(shopper=self._shopper)

    @cached_property
    def member_day(self) -> MemberDayStatus | None:
        """Today's status, the next member day and the shopper's benefits."""
        if not self._loyalty:
            return None
        return member_day_status(shopper=self._shopper)

    @cached_property
    def birthday(self) -> BirthdayOverview | None:
        """The signed-in member's birthday gift section, None for guests."""
        if not self._loyalty or not self._member:
            return None
        return birthday_overview(user=self.request.user, tier=self._shopper.tier)


def privileges(request) -> dict:
    return {"privileges": Privileges(request)}
