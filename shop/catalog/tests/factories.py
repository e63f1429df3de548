from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shop.catalog.models import (
    Attribute,
    AttributeValue,
    Brand,
    Category,
    Product,
    ProductImage,
    Variant,
)


def image_file(name="photo.jpg", size=(800, 800), color=(180, 140, 100), fmt="JPEG"):
    """An in-memory picture that passes upload validation."""
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"分類{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"品牌{n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribute

    name = factory.Sequence(lambda n: f"屬性{n}")
    slug = factory.Sequence(lambda n: f"attribute-{n}")


class AttributeValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeValue

    attribute = factory.SubFactory(AttributeFactory)
    value = factory.Sequence(lambda n: f"值{n}")
    slug = factory.Sequence(lambda n: f"value-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """An active product published an hour ago, without variants."""

    class Meta:
        model = Product

    title = factory.Sequence(lambda n: f"商品{n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    category = factory.SubFactory(CategoryFactory)
    status = Product.Status.ACTIVE
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    description = "好用的商品。"


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("1280")
    stock = 10


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.LazyFunction(image_file)
    alt_text = "商品照片"


def product_with_variants(n_variants=1, **kwargs):
    """A published product with `n_variants` variants priced 1280, 1380, …"""
    product = ProductFactory(**kwargs)
    for i in range(n_variants):
        VariantFactory(
            product=product, price=Decimal(1280 + 100 * i), option1=f"選項{i}"
        )
    return product
