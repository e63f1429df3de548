"""Expiring credit lots past their expiry: the beat task's sweep."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from loyalty.credit.services.ledger import lots_expire
from loyalty.models import CreditLot, Membership

# Lots per transaction: few round trips, short member locks.
BATCH_SIZE = 1000


def credit_expire_due(*, now: datetime) -> Decimal:
    """Expire every lot whose `expires_at` has passed by `now`; the amount expired.

    Set-based, in batches of lots: each batch is one transaction that locks
    the batch's members (pk order), reads its lots again under lock (a lot
    spent or expired meanwhile by a checkout or a racing run drops out),
    writes the EXPIRE rows with one statement (one per lot, keyed by the
    lot) and moves the lots and the balances with one statement each.
    Running it again (a retried task) expires nothing more.
    """
    total = Decimal(0)
    last_pk = 0
    while True:
        batch = list(
            CreditLot.objects.filter(
                remaining__gt=0, expires_at__lte=now, pk__gt=last_pk
            )
            .order_by("pk")
            .values_list("pk", "membership_id")[:BATCH_SIZE]
        )
        if not batch:
            return total
        last_pk = batch[-1][0]
        with transaction.atomic():
            list(
                Membership.objects.select_for_update()
                .filter(pk__in=sorted({member for _pk, member in batch}))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            lots = (
                CreditLot.objects.select_for_update()
                .filter(
                    pk__in=[pk for pk, _member in batch],
                    remaining__gt=0,
                    expires_at__lte=now,
                )
                .order_by("pk")
            )
            total += lots_expire(lots, now)
