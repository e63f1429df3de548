"""Reads of purchases for the member area, the API and the back office."""

from __future__ import annotations

from django.db.models import QuerySet

from loyalty.models import Purchase


def purchases_of(*, user) -> QuerySet[Purchase]:
    """The member's purchases, newest first."""
    return Purchase.objects.filter(user=user).order_by("-created_at", "-id")


def purchase_of(*, user, number: str) -> Purchase | None:
    """The member's purchase with `number`, or None (also for somebody else's)."""
    return Purchase.objects.filter(user=user, number=number).first()
