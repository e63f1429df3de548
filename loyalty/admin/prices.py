"""Member prices in the back office: a tier-price inline on the variant page.

The catalogue's variant admin is registered again from here with the inline
added, so the storefront's admin never imports the loyalty app. A product's
variants link to this page ("Change" in the product's variant rows).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loyalty.models import TierPrice
from loyalty.prices import tier_prices_changed
from loyalty.selectors.programme import tiers_active
from shop.catalog.admin.variants import VariantAdmin
from shop.catalog.models import Variant


def _tier_choices(current: str = "") -> list[tuple[str, str]]:
    choices = [("", "---------")]
    choices += [
        (tier.code, f"{tier.display_name} ({tier.code})") for tier in tiers_active()
    ]
    if current and current not in {code for code, _label in choices}:
        # A price kept from a tier the rules in force no longer have.
        choices.append(
            (
                current,
                gettext("%(code)s (not in the tiers in force)") % {"code": current},
            )
        )
    return choices


class TierPriceForm(forms.ModelForm):
    tier_code = forms.ChoiceField(label=_("tier"))

    class Meta:
        model = TierPrice
        fields = ("tier_code", "price")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier_code"].choices = _tier_choices(self.instance.tier_code)


class TierPriceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The variant as edited on the same page, not as stored.
        list_price = self.instance.price
        for form in self.forms:
            if (
                not form.has_changed()
                or self.can_delete
                and self._should_delete_form(form)
            ):
                continue
            price = form.cleaned_data.get("price")
            if price is not None and list_price is not None and price > list_price:
                form.add_error(
                    "price",
                    gettext("Above the list price: members would pay the list price."),
                )


class TierPriceInline(admin.TabularInline):
    model = TierPrice
    form = TierPriceForm
    formset = TierPriceFormSet
    fields = ("tier_code", "price")
    extra = 0
    verbose_name = _("member price")
    verbose_name_plural = _("member prices (instead of the tier's member discount)")


class VariantWithTierPricesAdmin(VariantAdmin):
    inlines = [*VariantAdmin.inlines, TierPriceInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is TierPrice:
            tier_prices_changed()


admin.site.unregister(Variant)
admin.site.register(Variant, VariantWithTierPricesAdmin)
