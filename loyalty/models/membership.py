"""A customer's membership: tier, cached balances, and the history behind them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loyalty.models.links import optional_link

MONEY = {"max_digits": 12, "decimal_places": 2}


class Membership(models.Model):
    """One per registered customer.

    `points_available` and `points_pending` are caches of the points ledger,
    changed only by `loyalty.services.points` under a row lock; `total_spend`,
    `order_count` and `last_order_at` are caches of the qualifying-spend rows
    for the member list. `reconcile_points` proves the points caches.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("customer"),
    )
    tier = models.ForeignKey(
        "loyalty.Tier",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("tier"),
    )
    tier_since = models.DateTimeField(_("in this tier since"))
    # The last day (shop's time zone) the tier holds; null for the base tier.
    tier_expires_on = models.DateField(
        _("tier valid until"), null=True, blank=True, db_index=True
    )
    # The day a "you will lose your tier" email went out for this validity.
    tier_warning_sent_on = models.DateField(null=True, blank=True, editable=False)
    points_available = models.IntegerField(_("points available"), default=0)
    points_pending = models.IntegerField(_("points pending"), default=0)
    # Cache of the shopping-credit ledger (CreditEntry), like the points caches.
    credit_balance = models.DecimalField(_("shopping credit"), default=0, **MONEY)
    total_spend = models.DecimalField(
        _("total spend"), default=0, db_index=True, **MONEY
    )
    order_count = models.IntegerField(_("orders"), default=0)
    last_order_at = models.DateTimeField(
        _("last order"), null=True, blank=True, db_index=True
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["-joined_at", "-id"]
        indexes = [models.Index(fields=["tier", "-joined_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(points_pending__gte=0), name="points_pending_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(credit_balance__gte=0), name="credit_balance_not_negative"
            ),
        ]

    def __str__(self):
        return str(self.user)


class QualifyingSpend(models.Model):
    """Spend that counts towards tiers: + when an order is paid, − when undone.

    One row per order and event (`idempotency_key`), so a replayed event never
    counts twice. `orders` is +1 / −1 / 0 (a partial return removes spend only).
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="spend_rows"
    )
    order = optional_link("orders.Order")
    amount = models.DecimalField(_("amount"), **MONEY)
    orders = models.SmallIntegerField(_("orders"), default=0)
    # When the spend happened: the order's payment time, also for its reversal.
    counted_at = models.DateTimeField(_("counted at"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualifying spend")
        verbose_name_plural = _("qualifying spend")
        ordering = ["-counted_at", "-id"]
        indexes = [models.Index(fields=["membership", "counted_at"])]

    def __str__(self):
        return f"{self.membership_id} {self.amount}"


class TierChange(models.Model):
    """A row per tier change, renewal or scheme move, with its reason."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        UPGRADE = "upgrade", _("Upgrade")
        RENEWAL = "renewal", _("Renewal")
        DOWNGRADE = "downgrade", _("Downgrade")
        SCHEME = "scheme", _("New tier rules")
        MANUAL = "manual", _("Changed by staff")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="tier_changes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_tier = optional_link("loyalty.Tier", verbose_name=_("from"))
    to_tier = models.ForeignKey(
        "loyalty.Tier",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to"),
    )
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    order = optional_link("orders.Order")
    actor = optional_link(settings.AUTH_USER_MODEL, verbose_name=_("by"))
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["membership", "-created_at"])]

    def __str__(self):
        return f"{self.membership_id}: {self.get_kind_display()}"
