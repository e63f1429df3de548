"""Taking the demo out again, so that a following seed starts afresh."""

from django.db import transaction

from shop.accounts.models import User
from shop.catalog.models import Product, ProductImage
from shop.catalog.services import product_image_files_delete
from shop.demo.data.catalog import TOP_CATEGORIES
from shop.orders.models import Order

DEMO_SHOPPER_EMAIL_REGEX = r"^member[0-9]+@example\.com$"


def demo_data_reset() -> tuple[int, int]:
    """Delete the demo products (every product in a demo category) and shoppers.

    The shoppers' orders go with them (a shop keeps a deleted customer's orders,
    but these are the demo's own history, and a following seed writes it anew).
    Categories, brands, attributes and staff users stay, so a following seed
    reuses them. Picture files are deleted once the transaction commits.
    Apps built on the shop clear their own rows first (`shop.demo.extensions`).
    Returns (products deleted, shoppers deleted).
    """
    slugs = [top.slug for top in TOP_CATEGORIES] + [
        leaf.slug for top in TOP_CATEGORIES for leaf in top.leaves
    ]
    with transaction.atomic():
        products = Product.objects.filter(category__slug__in=slugs)
        product_image_files_delete(
            images=ProductImage.objects.filter(product__in=products).only(
                "image", "thumbnail", "display"
            )
        )
        product_count = products.count()
        products.delete()
        shoppers = User.objects.filter(
            email__regex=DEMO_SHOPPER_EMAIL_REGEX, is_staff=False
        )
        Order.objects.filter(user__in=shoppers).delete()
        shopper_count = shoppers.count()
        shoppers.delete()
    return product_count, shopper_count
