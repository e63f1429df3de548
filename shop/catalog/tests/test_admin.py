from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from shop.accounts.tests.factories import StaffFactory
from shop.catalog.models import Category, Product, ProductImage, StockMovement, Variant
from shop.catalog.tests.factories import (
    AttributeValueFactory,
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
    image_file,
    product_with_variants,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def merchant(client):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    return user


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# --- Query budget -------------------------------------------------------------


def make_product():
    product = product_with_variants(2, brand=BrandFactory())
    ProductImageFactory(product=product)
    product.attribute_values.add(AttributeValueFactory())
    return product


def make_category():
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    ProductFactory(category=child)
    return child


def make_variant():
    variant = VariantFactory()
    StockMovement.objects.create(
        variant=variant, delta=10, stock_after=10, reason="adjustment"
    )
    return variant


@pytest.mark.parametrize(
    ("changelist", "make"),
    [
        ("admin:catalog_product_changelist", make_product),
        ("admin:catalog_category_changelist", make_category),
        ("admin:catalog_brand_changelist", BrandFactory),
        ("admin:catalog_attribute_changelist", AttributeValueFactory),
        ("admin:catalog_variant_changelist", make_variant),
        ("admin:catalog_stockmovement_changelist", make_variant),
    ],
    ids=["products", "categories", "brands", "attributes", "variants", "stock"],
)
def test_changelist_queries_do_not_grow_with_rows(client, merchant, changelist, make):
    url = reverse(changelist)
    for _ in range(3):
        make()
    with_n = queries_for(client, url)
    make()
    with_n_plus_1 = queries_for(client, url)

    assert with_n_plus_1 == with_n


def test_product_changelist_shows_picture_price_range_and_stock(client, merchant):
    product = product_with_variants(2, title="Kenya AA")
    image = ProductImageFactory(product=product)

    response = client.get(reverse("admin:catalog_product_changelist"))

    html = response.content.decode()
    assert f'src="{image.image.url}"' in html
    assert "NT$1,280 – NT$1,380" in html
    [row] = response.context["cl"].result_list
    assert (row.title, row.min_price, row.max_price, row.stock_total) == (
        "Kenya AA",
        Decimal("1280.00"),
        Decimal("1380.00"),
        20,
    )


def test_products_are_found_by_sku(client, merchant):
    wanted = VariantFactory(sku="DRIP-0042").product
    VariantFactory(sku="TEA-0001")

    response = client.get(reverse("admin:catalog_product_changelist"), {"q": "drip-00"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_bulk_publish_and_archive_call_the_services(client, merchant):
    drafts = [ProductFactory(status="draft", published_at=None) for _ in range(2)]
    ids = [str(p.pk) for p in drafts]
    url = reverse("admin:catalog_product_changelist")

    published = client.post(
        url, {"action": "publish", "_selected_action": ids}, follow=True
    )
    for product in drafts:
        product.refresh_from_db()
        assert product.is_published
    archived = client.post(
        url, {"action": "archive", "_selected_action": ids[:1]}, follow=True
    )

    assert [str(m) for m in published.context["messages"]] == ["2 products published."]
    assert [str(m) for m in archived.context["messages"]] == ["1 product archived."]
    assert Product.objects.get(pk=drafts[0].pk).status == "archived"


# --- Product form ---------------------------------------------------------------


def product_post(category, **overrides):
    data = {
        "title": "手沖咖啡豆",
        "slug": "pour-over-beans",
        "category": category.pk,
        "brand": "",
        "status": "active",
        "published_at_0": "",
        "published_at_1": "",
        "description": "",
        "size_guide": "",
        "option1_name": "重量",
        "option2_name": "",
        "seo_title": "",
        "seo_description": "",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-sku": "POUR-250",
        "variants-0-option1": "250g",
        "variants-0-option2": "",
        "variants-0-price": "450",
        "variants-0-compare_at_price": "",
        "variants-0-stock": "7",
        "variants-0-weight_grams": "250",
        "variants-0-position": "0",
        "variants-0-is_active": "on",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "images-0-image": image_file("beans.jpg", size=(900, 600)),
        "images-0-alt_text": "咖啡豆",
        "images-0-position": "0",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_adding_a_product_with_variant_and_picture(
    client, merchant, django_capture_on_commit_callbacks
):
    category = CategoryFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:catalog_product_add"), product_post(category)
        )

    assert response.status_code == 302
    product = Product.objects.get(slug="pour-over-beans")
    assert product.is_published
    variant = product.variants.get()
    assert (variant.sku, variant.price, variant.stock) == (
        "POUR-250",
        Decimal("450"),
        7,
    )
    movement = StockMovement.objects.get(variant=variant)
    assert (movement.delta, movement.actor) == (7, merchant)
    image = product.images.get()
    assert image.thumbnail.name == f"products/thumbs/{image.pk}-{_stem(image)}.webp"
    assert (image.width, image.height) == (900, 600)
    assert "pour-250" in product.search_document
    assert "手沖咖啡豆" in product.search_document


def _stem(image):
    return image.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def test_a_bad_picture_is_a_form_error_not_a_crash(client, merchant):
    data = product_post(
        CategoryFactory(),
        **{"images-0-image": SimpleUploadedFile("x.jpg", b"text", "image/jpeg")},
    )

    response = client.post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 200
    assert "Upload a JPEG, PNG or WebP picture." in response.content.decode()
    assert not Product.objects.exists()
    assert not ProductImage.objects.exists()


def test_compare_at_below_price_is_reported_on_its_field(client, merchant):
    data = product_post(CategoryFactory(), **{"variants-0-compare_at_price": "400"})

    response = client.post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 200
    [variant_formset, _images] = response.context["inline_admin_formsets"]
    assert variant_formset.formset.errors[0] == {
        "compare_at_price": ["The compare-at price must not be below the price."]
    }
    assert not Product.objects.exists()


def _inline_management_data(client, url) -> dict:
    """The management forms of a change page's inlines, as the page renders them."""
    data = {}
    for inline in client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def test_changing_only_the_price_leaves_stock_to_the_ledger(client, merchant):
    variant = VariantFactory(stock=5, price=Decimal("100"))
    product = variant.product
    # Sold two while the form was open.
    Variant.objects.filter(pk=variant.pk).update(stock=3)
    url = reverse("admin:catalog_variant_change", args=[variant.pk])
    data = {
        "product": product.pk,
        "sku": variant.sku,
        "option1": "",
        "option2": "",
        "price": "120",
        "compare_at_price": "",
        "stock": "5",
        "weight_grams": "0",
        "position": "0",
        "is_active": "on",
        "initial-stock": "5",
        # Inlines other apps add to the page (e.g. member prices), left as shown.
        **_inline_management_data(client, url),
    }

    # The form's initial stock was 5: only the price changed.
    client.post(url, data)
    variant.refresh_from_db()
    assert (variant.price, variant.stock) == (Decimal("120"), 3)
    assert not StockMovement.objects.exists()

    client.post(url, {**data, "stock": "10"})
    variant.refresh_from_db()
    assert variant.stock == 10
    assert list(StockMovement.objects.values_list("delta", "actor")) == [
        (7, merchant.pk)
    ]


def test_attribute_value_autocomplete_labels_values_with_their_attribute(
    client, merchant
):
    value = AttributeValueFactory(value="淺焙", attribute__name="烘焙度")

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "catalog",
            "model_name": "product",
            "field_name": "attribute_values",
            "term": "淺",
        },
    )

    assert response.json()["results"] == [{"id": str(value.pk), "text": "烘焙度: 淺焙"}]


# --- Categories -----------------------------------------------------------------


def test_categories_are_listed_as_an_indented_tree(client, merchant):
    tea = CategoryFactory(name="Tea", position=1)
    coffee = CategoryFactory(name="Coffee", position=0)
    beans = CategoryFactory(name="Beans", parent=coffee, position=0)
    CategoryFactory(name="Drip bags", parent=coffee, position=1)
    CategoryFactory(name="Single origin", parent=beans)
    CategoryFactory(name="Oolong", parent=tea)

    response = client.get(reverse("admin:catalog_category_changelist"))

    rows = response.context["cl"].result_list
    assert [(c.name, c.tree_depth) for c in rows] == [
        ("Coffee", 0),
        ("Beans", 1),
        ("Single origin", 2),
        ("Drip bags", 1),
        ("Tea", 0),
        ("Oolong", 1),
    ]
    assert (
        '<span style="padding-inline-start:3.0em">└ Single origin</span>'
        in response.content.decode()
    )


def test_a_category_cannot_move_under_its_own_child(client, merchant):
    coffee = CategoryFactory(name="Coffee", slug="coffee")
    beans = CategoryFactory(name="Beans", parent=coffee)

    response = client.post(
        reverse("admin:catalog_category_change", args=[coffee.pk]),
        {
            "name": "Coffee",
            "slug": "coffee",
            "parent": beans.pk,
            "position": "0",
            "is_active": "on",
            "description": "",
            "seo_title": "",
            "seo_description": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "A category cannot be placed inside itself or one of its subcategories."
    ]
    assert Category.objects.get(pk=coffee.pk).parent is None


def test_renaming_a_category_refreshes_its_products_search_text(client, merchant):
    coffee = CategoryFactory(name="Coffee", slug="coffee")
    beans = CategoryFactory(name="Beans", parent=coffee)
    product = ProductFactory(category=beans)

    client.post(
        reverse("admin:catalog_category_change", args=[coffee.pk]),
        {
            "name": "精品咖啡",
            "slug": "coffee",
            "parent": "",
            "position": "0",
            "is_active": "on",
            "description": "",
            "seo_title": "",
            "seo_description": "",
        },
    )

    product.refresh_from_db()
    assert "精品咖啡" in product.search_document


def test_editing_a_product_touches_only_the_variants_changed(client, merchant):
    product = ProductFactory(title="Old title")
    first = VariantFactory(product=product, sku="A-1", stock=5, price=Decimal("100"))
    second = VariantFactory(product=product, sku="A-2", stock=4, price=Decimal("200"))
    # A sale of the first variant after the form was shown.
    Variant.objects.filter(pk=first.pk).update(stock=2)

    def variant_fields(i, variant, **changes):
        fields = {
            "id": variant.pk,
            "product": product.pk,
            "sku": variant.sku,
            "option1": "",
            "option2": "",
            "price": str(variant.price),
            "compare_at_price": "",
            "stock": str(variant.stock),
            "weight_grams": "0",
            "position": "0",
            "is_active": "on",
            **changes,
        }
        data = {f"variants-{i}-{name}": value for name, value in fields.items()}
        # What the form showed, so a sale since then is not mistaken for an edit.
        data[f"initial-variants-{i}-stock"] = str(variant.stock)
        return data

    data = product_post(
        product.category,
        title="New title",
        slug=product.slug,
        **{
            "variants-TOTAL_FORMS": "2",
            "variants-INITIAL_FORMS": "2",
            "images-TOTAL_FORMS": "0",
        },
        **variant_fields(0, first, price="120"),
        **variant_fields(1, second, stock="9"),
    )
    del data["images-0-image"]

    response = client.post(
        reverse("admin:catalog_product_change", args=[product.pk]), data
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.price, first.stock) == (Decimal("120.00"), 2)
    assert (second.price, second.stock) == (Decimal("200.00"), 9)
    assert list(StockMovement.objects.values_list("variant__sku", "delta")) == [
        ("A-2", 5)
    ]
    product.refresh_from_db()
    assert product.title == "New title"
    assert "new title" in product.search_document
