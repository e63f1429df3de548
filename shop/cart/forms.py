"""Forms of the cart pages; the rules themselves are in `services.py`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.cart.selectors import variant_for_options
from shop.cart.services import MAX_ID


class AddToCartForm(forms.Form):
    """A variant by id, or a product with its option values (the page's radios)."""

    variant = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    product = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    option1 = forms.CharField(required=False, max_length=50)
    option2 = forms.CharField(required=False, max_length=50)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, initial=1, required=False
    )

    def __init__(self, *args, shopper, **kwargs):
        super().__init__(*args, **kwargs)
        self.shopper = shopper

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quantity") is None and "quantity" not in self.errors:
            cleaned["quantity"] = 1
        if cleaned.get("variant"):
            cleaned["variant_id"] = cleaned["variant"]
        elif cleaned.get("product"):
            variant = variant_for_options(
                shopper=self.shopper,
                product_id=cleaned["product"],
                option1=cleaned.get("option1", ""),
                option2=cleaned.get("option2", ""),
            )
            if variant is None:
                raise forms.ValidationError(
                    _("This combination is not available. Please choose another.")
                )
            cleaned["variant_id"] = variant.pk
        elif not self.errors:
            raise forms.ValidationError(_("Choose a product option."))
        return cleaned


class CartLineForm(forms.Form):
    variant = forms.IntegerField(
        min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, required=False)
