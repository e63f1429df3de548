"""Back-office forms of the catalogue: the rules a merchant sees as form errors."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.catalog.images import validate_product_image
from shop.catalog.models import Category, Product, ProductImage, Variant


class PictureField(forms.FileField):
    """An upload checked by `validate_product_image` alone, so every rejection
    (type, size, dimensions, damage) reads the same wherever it is uploaded."""

    default_validators = [validate_product_image]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        )
        super().__init__(**kwargs)


class ProductAdminForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = (
            "title",
            "slug",
            "category",
            "brand",
            "status",
            "published_at",
            "is_featured",
            "description",
            "size_guide",
            "option1_name",
            "option2_name",
            "attribute_values",
            "seo_title",
            "seo_description",
        )

    def clean(self):
        cleaned = super().clean()
        # An active product without a publish time would never show in the shop,
        # which no merchant means; "active" without a time means "from now".
        if cleaned.get("status") == Product.Status.ACTIVE and not cleaned.get(
            "published_at"
        ):
            cleaned["published_at"] = timezone.now()
        return cleaned


class VariantForm(forms.ModelForm):
    class Meta:
        model = Variant
        fields = (
            "product",
            "sku",
            "option1",
            "option2",
            "price",
            "compare_at_price",
            "stock",
            "weight_grams",
            "position",
            "is_active",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Stock counts as changed only if it differs from what the form showed,
        # not from the database now: a sale while the form was open must
        # survive saving it (see services.variant_save).
        if "stock" in self.fields:
            self.fields["stock"].show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        price = cleaned.get("price")
        compare_at = cleaned.get("compare_at_price")
        if price is not None and compare_at is not None and compare_at < price:
            self.add_error(
                "compare_at_price",
                _("The compare-at price must not be below the price."),
            )
        # With the error on its field, the model's check constraint (and its
        # generic message) is skipped: fields with errors are excluded.
        return cleaned


class ProductImageForm(forms.ModelForm):
    image = PictureField(label=_("image"))

    class Meta:
        model = ProductImage
        fields = ("image", "alt_text", "position")


class CategoryAdminForm(forms.ModelForm):
    image = PictureField(label=_("image"), required=False)

    class Meta:
        model = Category
        fields = (
            "name",
            "slug",
            "parent",
            "position",
            "is_active",
            "description",
            "image",
            "seo_title",
            "seo_description",
        )

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk is not None:
            seen = set()
            ancestor = parent
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.instance.pk:
                    raise forms.ValidationError(
                        _(
                            "A category cannot be placed inside itself "
                            "or one of its subcategories."
                        ),
                        code="category_cycle",
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        return parent
