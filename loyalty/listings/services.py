"""Writes of member-only listings: saving a rule, opening its private link.

Saving a rule clears the cached rules and the catalogue's cached listing data
(the receivers do it on every save or delete, back office included), so the
change shows on the next request.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from loyalty.listings.errors import ListingError
from loyalty.models import ListingAccessGrant, ListingAudience, ListingRule
from loyalty.selectors.programme import tiers_active

ACCESS_CODE_BYTES = 12


def listing_access_code_new() -> str:
    """A fresh, unguessable code for a private link (URL-safe, 16 characters)."""
    while True:
        code = secrets.token_urlsafe(ACCESS_CODE_BYTES)
        if not ListingRule.objects.filter(access_code=code).exists():
            return code


def listing_rule_problems(rule: ListingRule) -> dict[str, str]:
    """What stops `rule` from being saved: {field: message}; empty when fine.

    One target (a product or a collection); a tier of the active scheme for
    the tier audience; `public_from` after `starts_at`.
    """
    problems = {}
    if (rule.product_id is None) == (rule.category_id is None):
        problems["product"] = _("Choose either a product or a collection.")
    if rule.audience == ListingAudience.TIER:
        codes = [tier.code for tier in tiers_active()]
        if not rule.min_tier_code:
            problems["min_tier_code"] = _("Choose the lowest tier that may buy.")
        elif rule.min_tier_code not in codes:
            problems["min_tier_code"] = _(
                "No tier of the active scheme has the code “%(code)s”; use one "
                "of: %(codes)s."
            ) % {"code": rule.min_tier_code, "codes": ", ".join(codes)}
    if (
        rule.starts_at is not None
        and rule.public_from is not None
        and rule.public_from <= rule.starts_at
    ):
        problems["public_from"] = _(
            "“Public from” must come after the audience's start."
        )
    return problems


def listing_rule_save(*, rule: ListingRule) -> ListingRule:
    """Check and save a rule (new or changed); returns it.

    A private-link rule without a code gets a fresh one; other audiences keep
    no code (an old link stops working) and only the tier audience keeps a
    tier code. Raises ListingError naming the first field to fix.
    """
    problems = listing_rule_problems(rule)
    if problems:
        field, message = next(iter(problems.items()))
        raise ListingError(message, field=field, code="invalid")
    if rule.audience != ListingAudience.TIER:
        rule.min_tier_code = ""
    if rule.audience != ListingAudience.ACCESS_CODE:
        rule.access_code = ""
    elif not rule.access_code:
        rule.access_code = listing_access_code_new()
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:
        raise ListingError(
            _("Another member-only listing already uses this private link code."),
            field="access_code",
            code="unique",
        ) from exc
    return rule


def listing_access_grant(*, rule: ListingRule, user) -> ListingAccessGrant:
    """Let `user` keep the access of `rule`'s private link on every device.

    Idempotent: opening the link again returns the same grant, also when two
    requests race.
    """
    grant = ListingAccessGrant.objects.filter(rule=rule, user=user).first()
    if grant is not None:
        return grant
    try:
        with transaction.atomic():
            return ListingAccessGrant.objects.create(rule=rule, user=user)
    except IntegrityError:
        return ListingAccessGrant.objects.get(rule=rule, user=user)
