"""A paginator for the big changelists: members and the ledgers.

Django's admin counts the filtered list on every page (`COUNT(*)`). Over a
million members or ten million ledger rows that reads the whole table each
time someone opens the list. Unfiltered, the number only feeds "1,000,000
members" and the page links, so PostgreSQL's own row estimate (free, kept by
autovacuum) is good enough there. A filtered or searched list is counted
exactly: it is what the merchant asked about, and the filters use indexes.
Small tables and other databases are always counted exactly.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


class LargeTablePaginator(Paginator):
    # Below this estimate the exact count is cheap enough to be worth having.
    exact_below = 100_000

    @cached_property
    def count(self) -> int:
        estimate = self._estimate()
        if estimate is not None and estimate >= self.exact_below:
            return estimate
        return super().count

    def _estimate(self) -> int | None:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return None
        query = queryset.query
        if query.where or query.distinct or query.combinator or query.is_sliced:
            return None
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                [connection.ops.quote_name(queryset.model._meta.db_table)],
            )
            row = cursor.fetchone()
        # -1: the table was never analysed; the estimate means nothing yet.
        if row is None or row[0] is None or row[0] < 0:
            return None
        return int(row[0])
