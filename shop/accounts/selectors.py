"""Reads for customers: their address book and consent history."""

from __future__ import annotations

from django.db.models import QuerySet

from shop.accounts.models import Address, ConsentRecord, User


def address_list(*, user: User) -> QuerySet[Address]:
    """The customer's addresses, default first, then newest first.

    Every member page and API endpoint that touches an address starts from this
    queryset, so one customer can never reach another's address.
    """
    return Address.objects.filter(user=user).order_by(
        "-is_default", "-created_at", "-id"
    )


def address_default(*, user: User) -> Address | None:
    """The customer's default address, or `None` when the book is empty."""
    return Address.objects.filter(user=user, is_default=True).first()


def consent_history(
    *, user: User, channel: str | None = None
) -> QuerySet[ConsentRecord]:
    """Every consent the customer gave or withdrew, newest first."""
    records = ConsentRecord.objects.filter(user=user)
    if channel is not None:
        records = records.filter(channel=channel)
    return records.order_by("-recorded_at", "-id")
