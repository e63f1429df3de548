"""Member-only listings (隱形賣場) and early access (新品搶先) in the back office.

A rule targets one product or one collection (a category and everything
below it), names who may see and buy it, what everyone else gets (nothing,
or a locked teaser) and an optional window. Saving goes through
`listing_rule_save`, which generates the private link's code; the receivers
then clear the cached rules and listings, so the change shows at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loyalty.listings.services import listing_rule_problems, listing_rule_save
from loyalty.models import ListingAudience, ListingRule
from loyalty.selectors.programme import tiers_active


class ListingRuleAdminForm(forms.ModelForm):
    class Meta:
        model = ListingRule
        fields = (
            "name",
            "product",
            "category",
            "audience",
            "min_tier_code",
            "access_code",
            "mode",
            "starts_at",
            "public_from",
            "is_active",
        )
        help_texts = {
            "product": _("One product, or leave empty and choose a collection."),
            "access_code": _(
                "For “holders of the private link”: leave empty to generate one. "
                "Changing it ends the old link."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A select of the active scheme's tiers; the check below explains a
        # code that is no longer in it, instead of "not a valid choice".
        choices = [("", "—")] + [(t.code, t.display_name) for t in tiers_active()]
        current = self.initial.get("min_tier_code")
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["min_tier_code"].widget = forms.Select(choices=choices)

    def clean(self):
        cleaned = super().clean()
        rule = ListingRule(
            product=cleaned.get("product"),
            category=cleaned.get("category"),
            audience=cleaned.get("audience") or "",
            min_tier_code=cleaned.get("min_tier_code") or "",
            starts_at=cleaned.get("starts_at"),
            public_from=cleaned.get("public_from"),
        )
        for field, message in listing_rule_problems(rule).items():
            self.add_error(field, message)
        code = cleaned.get("access_code")
        if (
            code
            and cleaned.get("audience") == ListingAudience.ACCESS_CODE
            and ListingRule.objects.filter(access_code=code)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "access_code",
                _("Another member-only listing already uses this code."),
            )
        return cleaned


@admin.register(ListingRule)
class ListingRuleAdmin(admin.ModelAdmin):
    form = ListingRuleAdminForm
    list_display = (
        "name",
        "target_display",
        "audience_display",
        "mode",
        "window_display",
        "is_active",
        "private_link",
    )
    list_filter = ("is_active", "audience", "mode")
    list_select_related = ("product", "category")
    search_fields = ("name", "product__title", "category__name", "access_code")
    autocomplete_fields = ("product", "category")
    readonly_fields = ("private_link", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "is_active")}),
        (
            _("What"),
            {
                "fields": ("product", "category"),
                "description": _(
                    "One product, or a collection: every product in a category "
                    "and its subcategories."
                ),
            },
        ),
        (
            _("Who may see and buy it"),
            {
                "fields": (
                    "audience",
                    "min_tier_code",
                    ("access_code", "private_link"),
                    "mode",
                ),
                "description": _(
                    "Everyone else either does not find it anywhere in the shop "
                    "(hidden) or sees it with a lock and the reason (teaser). "
                    "Staff always see everything."
                ),
            },
        ),
        (
            _("When"),
            {
                "fields": ("starts_at", "public_from"),
                "description": _(
                    "Early access: the audience from the first date, everyone "
                    "from the second. Before the first date nobody outside "
                    "staff sees it."
                ),
            },
        ),
        (None, {"fields": ("created_at",)}),
    )

    def save_model(self, request, obj, form, change):
        listing_rule_save(rule=obj)

    @admin.display(description=_("product or collection"))
    def target_display(self, obj):
        if obj.product_id is not None:
            return obj.product.title
        return gettext("%(category)s (collection)") % {"category": obj.category.name}

    @admin.display(description=_("who"), ordering="audience")
    def audience_display(self, obj):
        if obj.audience == ListingAudience.TIER:
            tier = next(
                (t for t in tiers_active() if t.code == obj.min_tier_code), None
            )
            name = tier.display_name if tier is not None else obj.min_tier_code
            return gettext("%(tier)s or higher") % {"tier": name}
        return obj.get_audience_display()

    @admin.display(description=_("window"))
    def window_display(self, obj):
        parts = []
        if obj.starts_at is not None:
            parts.append(gettext("from %(date)s") % {"date": _when(obj.starts_at)})
        if obj.public_from is not None:
            parts.append(
                gettext("public from %(date)s") % {"date": _when(obj.public_from)}
            )
        return " · ".join(parts) or "—"

    @admin.display(description=_("private link"))
    def private_link(self, obj):
        if obj is None or not obj.access_code:
            return "—"
        url = reverse("loyalty:listing_access", args=[obj.access_code])
        return format_html('<a href="{}">{}</a>', url, url)


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
