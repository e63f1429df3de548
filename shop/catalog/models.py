from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.core.models import TimeStampedModel


class Category(models.Model):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="categories/", blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Attribute(models.Model):
    """A property shoppers filter by, e.g. 產地 (origin) or 烘焙度 (roast)."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class AttributeValue(models.Model):
    attribute = models.ForeignKey(
        Attribute,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("attribute"),
    )
    value = models.CharField(_("value"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ["attribute__position", "position", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "slug"], name="unique_attribute_value_slug"
            )
        ]

    def __str__(self):
        return f"{self.attribute.name}: {self.value}"


class ProductQuerySet(models.QuerySet):
    def published(self, now=None):
        """Active and past its publish time: the base rule before any shopper rule."""
        now = now or timezone.now()
        return self.filter(status=Product.Status.ACTIVE, published_at__lte=now)


class Product(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, allow_unicode=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    brand = models.ForeignKey(
        Brand,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
        verbose_name=_("brand"),
    )
    description = models.TextField(_("description"), blank=True)
    size_guide = models.TextField(
        _("size guide"),
        blank=True,
        help_text=_("Measurements and fit advice; shown beside the size picker."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("Shown in the shop from this time on, when active."),
    )
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    # Hygiene, perishable or made-to-order goods: shown before purchase and
    # frozen onto each order line, so a later edit changes no one's rights.
    non_returnable_reason = models.CharField(
        _("cannot be returned because"),
        max_length=120,
        blank=True,
        help_text=_(
            "e.g. “Opened cosmetics cannot be returned.” Empty: returnable. "
            "Shown on the product page and at checkout."
        ),
    )
    option1_name = models.CharField(
        _("first option"), max_length=30, blank=True, help_text=_("e.g. Size")
    )
    option2_name = models.CharField(
        _("second option"), max_length=30, blank=True, help_text=_("e.g. Colour")
    )
    attribute_values = models.ManyToManyField(
        AttributeValue,
        blank=True,
        related_name="products",
        verbose_name=_("attributes"),
    )
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=160, blank=True)
    # Derived from title, brand, category, attributes and SKUs; see catalog.search.
    search_document = models.TextField(editable=False, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["category", "status", "published_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:product", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.ACTIVE
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Variant(models.Model):
    """A stock-keeping unit: one buyable combination of a product's options."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="variants",
        verbose_name=_("product"),
    )
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    option1 = models.CharField(_("first option value"), max_length=50, blank=True)
    option2 = models.CharField(_("second option value"), max_length=50, blank=True)
    price = models.DecimalField(
        _("price"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    compare_at_price = models.DecimalField(
        _("compare-at price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The original price, shown struck through when higher than the price."
        ),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=settings.SHOP_CURRENCY
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="variant_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="variant_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True)
                | Q(compare_at_price__gte=F("price")),
                name="variant_compare_at_not_below_price",
            ),
        ]

    def __str__(self):
        return (
            f"{self.product.title} {self.options_label}".strip()
            if self.product_id
            else self.sku
        )

    @property
    def options_label(self) -> str:
        return " / ".join(v for v in (self.option1, self.option2) if v)

    @property
    def in_stock(self) -> bool:
        return self.is_active and self.stock > 0


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("product"),
    )
    image = models.ImageField(
        _("image"),
        upload_to="products/%Y/%m/",
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=200,
        blank=True,
        help_text=_(
            "Describes the picture for screen readers; the title is used when empty."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # Renditions made by catalog.tasks after upload; the original stands in until then.
    thumbnail = models.ImageField(
        upload_to="products/thumbs/", blank=True, editable=False
    )
    display = models.ImageField(
        upload_to="products/display/", blank=True, editable=False
    )

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]

    def __str__(self):
        return self.alt_text or self.image.name

    @property
    def thumbnail_url(self) -> str:
        return (self.thumbnail or self.image).url

    @property
    def display_url(self) -> str:
        return (self.display or self.image).url


class StockMovement(models.Model):
    """Append-only ledger of stock changes; Variant.stock is its running total."""

    class Reason(models.TextChoices):
        ORDER_PLACED = "order_placed", _("Order placed")
        ORDER_CANCELLED = "order_cancelled", _("Order cancelled")
        RETURN_RESTOCKED = "return_restocked", _("Return restocked")
        ADJUSTMENT = "adjustment", _("Manual adjustment")
        IMPORT = "import", _("Import")

    variant = models.ForeignKey(
        Variant,
        on_delete=models.CASCADE,
        related_name="stock_movements",
        verbose_name=_("variant"),
    )
    delta = models.IntegerField(_("change"))
    stock_after = models.PositiveIntegerField(_("stock after"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(
        max_length=120, unique=True, null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["variant", "-created_at"])]

    def __str__(self):
        return f"{self.variant_id} {self.delta:+d}"
