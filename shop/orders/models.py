from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shop.core.money import Money
from shop.orders.status import OrderStatus, PaymentStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class ShippingKind(models.TextChoices):
    HOME = "home", _("Home delivery")
    CVS_711 = "cvs_711", _("7-ELEVEN pickup")
    CVS_FAMILY = "cvs_family", _("FamilyMart pickup")
    STORE = "store", _("In-store pickup")


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
        verbose_name=_("customer"),
    )
    email = models.EmailField(_("email"))
    customer_name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING_PAYMENT,
        db_index=True,
    )
    payment_method = models.CharField(_("payment method"), max_length=30)
    shipping_method_code = models.CharField(_("shipping method"), max_length=30)
    shipping_method_name = models.CharField(_("shipping method name"), max_length=100)
    shipping_kind = models.CharField(
        _("shipping kind"), max_length=20, choices=ShippingKind.choices
    )
    # Frozen at placement: a later address-book edit changes nothing here.
    recipient_name = models.CharField(_("recipient"), max_length=100)
    recipient_phone = models.CharField(_("recipient phone"), max_length=20)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city / county"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    pickup_store_code = models.CharField(_("store code"), max_length=20, blank=True)
    pickup_store_name = models.CharField(_("store name"), max_length=100, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    discount_total = models.DecimalField(_("discounts"), default=0, **MONEY)
    shipping_total = models.DecimalField(_("shipping"), default=0, **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    customer_note = models.TextField(_("note from the customer"), blank=True)
    # The policy the shopper was shown when buying; later edits cannot shorten it.
    return_policy_version = models.CharField(_("return policy version"), max_length=20)
    return_policy_text = models.TextField(_("return policy shown"))
    language = models.CharField(
        _("language"), max_length=10, default=settings.LANGUAGE_CODE
    )
    idempotency_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True
    )
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    placed_at = models.DateTimeField(_("placed"), db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    # The cooling-off period (鑑賞期) counts from here.
    delivered_at = models.DateTimeField(
        _("delivered"), null=True, blank=True, db_index=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-placed_at"]),
            models.Index(fields=["status", "placed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0), name="order_total_not_negative"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"number": self.number})

    def money(self, amount) -> Money:
        return Money(amount, self.currency)

    @property
    def is_pickup(self) -> bool:
        return self.shipping_kind in (ShippingKind.CVS_711, ShippingKind.CVS_FAMILY)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="order_lines",
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        on_delete=models.SET_NULL,
        related_name="order_lines",
    )
    product_title = models.CharField(_("product"), max_length=200)
    variant_label = models.CharField(_("variant"), max_length=120, blank=True)
    sku = models.CharField(_("SKU"), max_length=64)
    quantity = models.PositiveIntegerField(_("quantity"))
    list_unit_price = models.DecimalField(_("list price"), **MONEY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    price_label = models.CharField(_("price label"), max_length=60, blank=True)
    # The product's non-returnable notice as shown when buying; empty: returnable.
    non_returnable_reason = models.CharField(
        _("not returnable because"), max_length=120, blank=True
    )
    # unit_price × quantity, before order-level adjustments (see allocations).
    subtotal = models.DecimalField(_("line subtotal"), **MONEY)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.product_title} {self.variant_label} × {self.quantity}".strip()


class AdjustmentKind(models.TextChoices):
    DISCOUNT = "discount", _("Discount")
    SHIPPING = "shipping", _("Shipping")
    # Paid with points or shopping credit: lowers what the payment gateway collects.
    TENDER = "tender", _("Paid with points or credit")


class OrderAdjustment(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="adjustments"
    )
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=AdjustmentKind.choices)
    # Negative lowers the total (discount, points), positive raises it (shipping fee).
    amount = models.DecimalField(_("amount"), **MONEY)
    data = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("order adjustment")
        verbose_name_plural = _("order adjustments")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label


class OrderAdjustmentAllocation(models.Model):
    """One adjustment's share on one line; a partial return refunds exactly this."""

    adjustment = models.ForeignKey(
        OrderAdjustment, on_delete=models.CASCADE, related_name="allocations"
    )
    line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="allocations"
    )
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("adjustment allocation")
        verbose_name_plural = _("adjustment allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["adjustment", "line"], name="one_allocation_per_line"
            )
        ]

    def __str__(self):
        return f"{self.adjustment_id} → {self.line_id}: {self.amount}"


class OrderEvent(models.Model):
    """A row per status change: who, when, from, to, why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(_("method"), max_length=30)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
        db_index=True,
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    # The provider's transaction id, once it has one.
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One settled payment per order: a replayed "paid" notice cannot pay twice.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="paid"),
                name="one_paid_payment_per_order",
            ),
        ]

    def __str__(self):
        return f"{self.order.number} {self.method} {self.amount}"


class PaymentEvent(models.Model):
    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"
