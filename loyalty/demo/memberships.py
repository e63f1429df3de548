"""A base-tier membership for every demo shopper, written set-based."""

from __future__ import annotations

from django.db import connection, transaction

from loyalty.models import Membership, TierChange
from loyalty.selectors.programme import tier_base
from shop.accounts.models import User
from shop.demo.services import DEMO_SHOPPER_EMAIL_REGEX
from shop.demo.services.batches import Progress, no_progress


def memberships_seed(*, customers: int = 0, progress: Progress = no_progress) -> int:
    """A base-tier membership for every demo shopper without one; returns how many.

    Joined and in the base tier since the shopper signed up, with the "joined"
    history row `membership_ensure` would write. Set-based: two
    `INSERT … SELECT` statements whatever the number of shoppers (10,000 in a
    fraction of a second), no service and no Python object per shopper.
    `progress` counts up to `customers` (the shoppers asked for).
    """
    base = tier_base()
    shoppers = User.objects.filter(
        email__regex=DEMO_SHOPPER_EMAIL_REGEX,
        is_staff=False,
        membership__isnull=True,
    ).order_by("pk")
    unjoined = Membership.objects.filter(
        user__email__regex=DEMO_SHOPPER_EMAIL_REGEX,
        user__is_staff=False,
        tier_changes__isnull=True,
    ).order_by("pk")
    users_sql, users_params = shoppers.values(
        "pk", "date_joined"
    ).query.sql_with_params()
    members_sql, members_params = unjoined.values(
        "pk", "joined_at"
    ).query.sql_with_params()
    quote = connection.ops.quote_name
    # Both subqueries name their key column "pk" (values("pk", …)).
    pk = quote("pk")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Membership._meta.db_table)} (user_id, tier_id,"
            " tier_since, joined_at, points_available, points_pending,"
            " credit_balance, total_spend, order_count)"
            f" SELECT u.{pk}, %s, u.date_joined, u.date_joined, 0, 0, 0, 0, 0"
            f" FROM ({users_sql}) u",
            [base.pk, *users_params],
        )
        created = max(cursor.rowcount, 0)
        cursor.execute(
            f"INSERT INTO {quote(TierChange._meta.db_table)} (membership_id, kind,"
            " to_tier_id, reason, created_at)"
            f" SELECT m.{pk}, %s, %s, '', m.joined_at FROM ({members_sql}) m",
            [TierChange.Kind.JOINED.value, base.pk, *members_params],
        )
    progress(customers)
    return created
