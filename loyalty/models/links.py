"""The optional links ledger and history rows keep to orders and people."""

from django.db import models


def optional_link(to, **options) -> models.ForeignKey:
    """A link that outlives its target: the row stays, the link becomes empty.

    Ledgers and histories keep their rows when an order or a staff account is
    deleted; no reverse accessor, since nothing reads them from the other side.
    """
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )
