"""The points ledger: append-only entries, and the lots they earn and spend.

Each earn (or positive adjustment) opens a lot with its own expiry. Spending
draws soonest-expiring lots first and records each draw, so a cancelled order
or a return restores exactly the lots it used. An entry moves two buckets:
`points` (available) and `pending_points` (earned, not yet spendable); the
member's cached balances are the sums of these two columns.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loyalty.models.links import optional_link


class PointsEntryKind(models.TextChoices):
    EARN = "earn", pgettext_lazy("points", "Earned")
    RELEASE = "release", _("Became available")
    REDEEM = "redeem", _("Spent")
    EXPIRE = "expire", _("Expired")
    ADJUST = "adjust", _("Adjusted by staff")
    REVERSE = "reverse", _("Reversed")
    RESTORE = "restore", _("Restored")


class PointsLotStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("points", "Pending")
    AVAILABLE = "available", _("Available")
    EXPIRED = "expired", _("Expired")
    REVERSED = "reversed", _("Reversed")


class PointsLot(models.Model):
    membership = models.ForeignKey(
        "loyalty.Membership", on_delete=models.CASCADE, related_name="points_lots"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PointsLotStatus.choices
    )
    points = models.PositiveIntegerField(_("points earned"))
    remaining = models.IntegerField(_("points left"))
    # When pending points become available; null until the order is delivered.
    available_at = models.DateTimeField(_("available from"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    order = optional_link("orders.Order")
    order_line = optional_link("orders.OrderLine")
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("earned"))

    class Meta:
        verbose_name = _("points lot")
        verbose_name_plural = _("points lots")
        ordering = ["expires_at", "id"]
        indexes = [
            models.Index(fields=["membership", "status", "expires_at"]),
            models.Index(
                fields=["expires_at"],
                condition=Q(status="available", remaining__gt=0),
                name="points_lot_expiring",
            ),
            models.Index(
                fields=["available_at"],
                condition=Q(status="pending"),
                name="points_lot_releasing",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=models.F("points")),
                name="points_lot_remaining_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.remaining}/{self.points}"


class PointsEntry(models.Model):
    membership = models.ForeignKey(
        "loyalty.Membership", on_delete=models.CASCADE, related_name="points_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PointsEntryKind.choices)
    points = models.IntegerField(_("points"), default=0)
    pending_points = models.IntegerField(_("pending points"), default=0)
    lot = models.ForeignKey(
        PointsLot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    order = optional_link("orders.Order", verbose_name=_("order"))
    order_line = optional_link("orders.OrderLine")
    actor = optional_link(settings.AUTH_USER_MODEL, verbose_name=_("by"))
    campaign = models.CharField(_("campaign"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["membership", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points:+d}/{self.pending_points:+d}"


class PointsDraw(models.Model):
    """The points one redemption took from one lot; `restored` of them came back."""

    entry = models.ForeignKey(
        PointsEntry, on_delete=models.CASCADE, related_name="draws"
    )
    lot = models.ForeignKey(PointsLot, on_delete=models.PROTECT, related_name="draws")
    points = models.PositiveIntegerField()
    restored = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(restored__lte=models.F("points")),
                name="points_draw_restored_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.lot_id}: {self.points}"
