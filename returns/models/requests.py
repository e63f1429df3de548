"""Return requests (退貨 / 換貨): what the shopper sends back, why, and what happens."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loyalty.models.links import optional_link
from returns.status import ReturnStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class ReturnReason(models.TextChoices):
    WRONG_SIZE = "wrong_size", _("Wrong size")
    WRONG_COLOUR = "wrong_colour", _("Wrong colour")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    DEFECTIVE = "defective", _("Defective")
    DAMAGED_IN_TRANSIT = "damaged", _("Damaged in transit")
    CHANGED_MIND = "changed_mind", _("Changed my mind")
    OTHER = "other", _("Other")


class Resolution(models.TextChoices):
    REFUND = "refund", _("Refund to the original payment")
    CREDIT = "credit", _("Shopping credit")
    EXCHANGE = "exchange", _("Exchange for another option")


class ReturnMethod(models.TextChoices):
    CVS_CODE = "cvs", _("Convenience-store return code")
    PICKUP = "pickup", _("Home pickup")
    SELF_SHIP = "self", _("Ship it yourself")


class ReturnRequest(models.Model):
    number = models.CharField(_("RMA number"), max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="return_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_requests",
        verbose_name=_("customer"),
    )
    email = models.EmailField(_("email"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReturnStatus.choices,
        default=ReturnStatus.REQUESTED,
        db_index=True,
    )
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices
    )
    method = models.CharField(
        _("return method"), max_length=10, choices=ReturnMethod.choices
    )
    # The convenience-store code or the carrier's pickup reference.
    return_code = models.CharField(_("return code"), max_length=30, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    shopper_note = models.TextField(_("note from the customer"), blank=True)
    # For cash-on-delivery and ATM orders refunded by bank transfer; wiped
    # once the transfer is recorded.
    bank_code = models.CharField(_("bank code"), max_length=10, blank=True)
    bank_account_name = models.CharField(
        _("account holder"), max_length=100, blank=True
    )
    bank_account_number = models.CharField(
        _("account number"), max_length=30, blank=True
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("requested"), db_index=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    ship_by = models.DateTimeField(_("ship back by"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    # The refund deadline (15 days after receipt by default) counts from here.
    refund_due_by = models.DateTimeField(
        _("refund due by"), null=True, blank=True, db_index=True
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["user", "-created_at"]),
        ]

    def __str__(self):
        return self.number


class ReturnLine(models.Model):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="return_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=20, choices=ReturnReason.choices)
    reason_text = models.CharField(_("details"), max_length=500, blank=True)
    exchange_variant = models.ForeignKey(
        "catalog.Variant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exchange for"),
    )
    # Asked for inside the statutory cooling-off period: no fee may be charged.
    in_cooling_off = models.BooleanField(_("inside the cooling-off period"))

    class Meta:
        verbose_name = _("returned item")
        verbose_name_plural = _("returned items")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="return_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.order_line} × {self.quantity}"


class UnitCondition(models.TextChoices):
    RESTOCK = "restock", _("Back to stock")
    DAMAGED = "damaged", _("Damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item")


class ReturnUnit(models.Model):
    """One unit of a returned line: received or missing, then inspected."""

    line = models.ForeignKey(ReturnLine, on_delete=models.CASCADE, related_name="units")
    # Which unit of the order line (0 … quantity − 1): refunds count by it.
    unit_index = models.PositiveIntegerField()
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    missing = models.BooleanField(_("missing"), default=False)
    condition = models.CharField(
        _("condition"), max_length=12, choices=UnitCondition.choices, blank=True
    )
    inspected_at = models.DateTimeField(_("inspected"), null=True, blank=True)
    restocked = models.BooleanField(_("restocked"), default=False)

    class Meta:
        verbose_name = _("returned unit")
        verbose_name_plural = _("returned units")
        ordering = ["line", "unit_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "unit_index"], name="return_unit_once_per_line"
            )
        ]

    def __str__(self):
        return f"{self.line_id}#{self.unit_index}"


def photo_path(instance, filename: str) -> str:
    return f"returns/{instance.line.request_id}/{filename}"


class ReturnPhoto(models.Model):
    line = models.ForeignKey(
        ReturnLine, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self):
        return self.image.name


class ReturnEvent(models.Model):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    actor = optional_link(settings.AUTH_USER_MODEL, verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("return event")
        verbose_name_plural = _("return events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class ReturnNote(models.Model):
    """Staff notes beside a request; never shown to the shopper."""

    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="notes"
    )
    author = optional_link(settings.AUTH_USER_MODEL, verbose_name=_("by"))
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text[:40]


class ExchangeReservation(models.Model):
    """Stock held for an exchange while its return is open; released or used."""

    line = models.OneToOneField(
        ReturnLine, on_delete=models.CASCADE, related_name="reservation"
    )
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField()
    released_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.variant_id} × {self.quantity}"


class SerialReturner(models.Model):
    """A customer whose returns passed the policy's thresholds (analytics)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="serial_returner",
        verbose_name=_("customer"),
    )
    units_bought = models.PositiveIntegerField(_("units bought"))
    units_returned = models.PositiveIntegerField(_("units returned"))
    returns_count = models.PositiveIntegerField(_("returns"))
    flagged_at = models.DateTimeField(_("flagged"))
    # Staff may clear a flag they judge unfair; it is not set again until later returns.
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    cleared_by = optional_link(settings.AUTH_USER_MODEL, verbose_name=_("cleared by"))

    class Meta:
        verbose_name = _("serial returner")
        verbose_name_plural = _("serial returners")
        ordering = ["-flagged_at", "-id"]

    def __str__(self):
        return str(self.user)
