"""Member-only listings (隱形賣場) and early access (新品搶先).

A `ListingRule` narrows who may see (hidden) or buy (teaser) a product, or
every product of a category and its subcategories. The shopper context applies
the rules in the catalogue selectors, so they hold on every surface.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ListingAudience(models.TextChoices):
    MEMBERS = "members", _("Signed-in members")
    TIER = "tier", _("Members of a tier or higher")
    PAID = "paid", _("Paid members")
    ACCESS_CODE = "code", _("Holders of the private link")


class ListingMode(models.TextChoices):
    HIDDEN = "hidden", _("Hidden from everyone else")
    TEASER = "teaser", _("Shown to everyone, sold only to the audience")


class ListingRule(models.Model):
    name = models.CharField(_("name"), max_length=100)
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="listing_rules",
        verbose_name=_("product"),
    )
    category = models.ForeignKey(
        "catalog.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="listing_rules",
        verbose_name=_("collection"),
        help_text=_("Every product in this category and its subcategories."),
    )
    audience = models.CharField(
        _("who may see and buy"),
        max_length=10,
        choices=ListingAudience.choices,
        default=ListingAudience.MEMBERS,
    )
    min_tier_code = models.SlugField(
        _("lowest tier"),
        max_length=30,
        blank=True,
        help_text=_("For “members of a tier or higher”: the tier's code."),
    )
    access_code = models.SlugField(
        _("private link code"),
        max_length=40,
        blank=True,
        help_text=_("For “holders of the private link”; leave empty to generate."),
    )
    mode = models.CharField(
        _("everyone else"),
        max_length=10,
        choices=ListingMode.choices,
        default=ListingMode.HIDDEN,
    )
    # Early access: the audience from `starts_at`, everyone from `public_from`.
    starts_at = models.DateTimeField(
        _("audience from"),
        null=True,
        blank=True,
        help_text=_("Empty: at once. Before this nobody outside staff sees it."),
    )
    public_from = models.DateTimeField(
        _("public from"),
        null=True,
        blank=True,
        help_text=_("Empty: members only for good. From then on the rule ends."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("member-only listing")
        verbose_name_plural = _("member-only listings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(product__isnull=False, category__isnull=True)
                    | Q(product__isnull=True, category__isnull=False)
                ),
                name="listing_rule_one_target",
            ),
            models.UniqueConstraint(
                fields=["access_code"],
                condition=~Q(access_code=""),
                name="listing_rule_access_code_unique",
            ),
        ]

    def __str__(self):
        return self.name


class ListingAccessGrant(models.Model):
    """A member who opened a rule's private link keeps access on every device."""

    rule = models.ForeignKey(
        ListingRule, on_delete=models.CASCADE, related_name="grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="listing_grants",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("private link access")
        verbose_name_plural = _("private link access")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "user"], name="one_listing_grant_per_user"
            )
        ]

    def __str__(self):
        return f"{self.rule_id} → {self.user_id}"
