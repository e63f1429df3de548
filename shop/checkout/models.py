from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.orders.models import MONEY, ShippingKind


class ShippingMethod(models.Model):
    """A way to get the parcel to the buyer, with fee and free-shipping threshold."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ShippingKind.choices)
    fee = models.DecimalField(_("fee"), default=Decimal("0"), **MONEY)
    free_shipping_threshold = models.DecimalField(
        _("free shipping from"),
        null=True,
        blank=True,
        **MONEY,
        help_text=_(
            "Orders of at least this amount (after discounts) ship free. Empty: never."
        ),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    @property
    def needs_address(self) -> bool:
        return self.kind == ShippingKind.HOME

    @property
    def needs_store(self) -> bool:
        return self.kind in (ShippingKind.CVS_711, ShippingKind.CVS_FAMILY)


class PaymentNotification(models.Model):
    """A server-to-server notice from a payment provider, kept once per notice id.

    The unique (gateway, notification id) pair is the replay guard: a notice
    sent again, by the provider or by an attacker who captured it, cannot be
    applied twice. Only notices that passed their signature check and were
    applied are stored; a rejected notice changes nothing, this table included.
    """

    class Outcome(models.TextChoices):
        PAID = "paid", _("Payment recorded")
        FAILED = "failed", _("Payment failed")
        ALREADY_PAID = "already_paid", _("Order was already paid")

    gateway = models.CharField(_("gateway"), max_length=30)
    notification_id = models.CharField(_("notification id"), max_length=100)
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("order"),
    )
    payment = models.ForeignKey(
        "orders.Payment",
        null=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name=_("payment"),
    )
    status = models.CharField(_("reported status"), max_length=20)
    amount = models.DecimalField(_("amount"), **MONEY)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    payload = models.JSONField(_("payload"), default=dict)
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "notification_id"],
                name="one_payment_notification_per_id",
            )
        ]

    def __str__(self):
        return f"{self.gateway}:{self.notification_id}"
