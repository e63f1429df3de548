"""Shopping credit (購物金) and stored value (儲值金): a currency wallet.

Same rules as points: an append-only `CreditEntry` ledger with a unique
idempotency key; credit arrives in `CreditLot`s (a top-up's paid part and its
bonus are two lots: the bonus may expire, the paid part never does); spending
draws soonest-expiring lots first (paid top-up money last) and records a
`CreditDraw` per lot, so a cancelled order or a return restores exactly those
lots. `Membership.credit_balance` caches the sum of the entries and changes
only with `F()` under `membership_lock`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loyalty.models.links import optional_link

MONEY = {"max_digits": 12, "decimal_places": 2}


class CreditSource(models.TextChoices):
    TOPUP = "topup", _("Top-up (paid)")
    TOPUP_BONUS = "bonus", _("Top-up bonus")
    REFUND = "refund", _("Refund")
    BIRTHDAY = "birthday", _("Birthday gift")
    CAMPAIGN = "campaign", _("Campaign")
    GRANT = "grant", _("Granted by staff")


class CreditEntryKind(models.TextChoices):
    GRANT = "grant", _("Received")
    SPEND = "spend", _("Spent")
    RESTORE = "restore", _("Restored")
    EXPIRE = "expire", _("Expired")
    ADJUST = "adjust", _("Adjusted by staff")
    WITHDRAW = "withdraw", _("Refunded to you")


class CreditLot(models.Model):
    membership = models.ForeignKey(
        "loyalty.Membership", on_delete=models.CASCADE, related_name="credit_lots"
    )
    source = models.CharField(_("source"), max_length=10, choices=CreditSource.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    remaining = models.DecimalField(_("left"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    purchase = optional_link("loyalty.Purchase")
    order = optional_link("orders.Order")
    created_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("credit lot")
        verbose_name_plural = _("credit lots")
        ordering = ["expires_at", "id"]
        indexes = [
            models.Index(fields=["membership", "expires_at"]),
            models.Index(
                fields=["expires_at"],
                condition=Q(remaining__gt=0),
                name="credit_lot_open_expiry",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=models.F("amount")),
                name="credit_lot_remaining_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.remaining}/{self.amount}"


class CreditEntry(models.Model):
    membership = models.ForeignKey(
        "loyalty.Membership", on_delete=models.CASCADE, related_name="credit_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CreditEntryKind.choices)
    # Signed: + received or restored, − spent, expired or withdrawn.
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    idempotency_key = models.CharField(max_length=120, unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    lot = optional_link("loyalty.CreditLot")
    order = optional_link("orders.Order")
    purchase = optional_link("loyalty.Purchase")
    actor = optional_link(settings.AUTH_USER_MODEL)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit ledger")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["membership", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class CreditDraw(models.Model):
    """How much one spend (or withdrawal) took from one lot."""

    entry = models.ForeignKey(
        CreditEntry, on_delete=models.CASCADE, related_name="draws"
    )
    lot = models.ForeignKey(CreditLot, on_delete=models.CASCADE, related_name="draws")
    amount = models.DecimalField(_("amount"), **MONEY)
    # What a restore has given back of this draw so far.
    restored = models.DecimalField(_("restored"), default=0, **MONEY)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0)
                & Q(restored__gte=0)
                & Q(restored__lte=models.F("amount")),
                name="credit_draw_restored_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.entry_id} ← {self.lot_id}: {self.amount}"
