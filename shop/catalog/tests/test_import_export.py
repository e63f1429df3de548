from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import CSV

from shop.accounts.tests.factories import StaffFactory
from shop.catalog.models import Product, StockMovement, Variant
from shop.catalog.resources import COLUMNS, ProductVariantResource
from shop.catalog.tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    VariantFactory,
)
from shop.core.roles import CUSTOMER_SERVICE

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
ROWS = [
    "ethiopia-beans,耶加雪菲咖啡豆,coffee,山頂烘焙,active,花香與柑橘調,,重量,,"
    "ETH-250,250g,,450,520,12,250",
    "ethiopia-beans,耶加雪菲咖啡豆,coffee,山頂烘焙,active,花香與柑橘調,,重量,,"
    "ETH-500,500g,,820,,5,500",
    'linen-shirt,亞麻襯衫,apparel,,draft,透氣舒適,"胸圍 S 96 cm, M 100 cm",尺寸,顏色,'
    "SHIRT-S-W,S,白,1280,1580,3,220",
]


@pytest.fixture(autouse=True)
def _catalogue():
    CategoryFactory(slug="coffee", name="咖啡")
    CategoryFactory(slug="apparel", name="服飾")
    BrandFactory(name="山頂烘焙", slug="summit-roasters")
    with translation.override("en"):
        yield


def csv_text(rows=ROWS, header=HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def import_csv(text: str, *, dry_run=False, user=None):
    dataset = CSV().create_dataset(text)
    return ProductVariantResource().import_data(dataset, dry_run=dry_run, user=user)


def catalogue_snapshot():
    return sorted(
        Variant.objects.values_list(
            "product__slug",
            "product__title",
            "product__category__slug",
            "product__brand__name",
            "product__status",
            "product__description",
            "product__size_guide",
            "product__option1_name",
            "product__option2_name",
            "sku",
            "option1",
            "option2",
            "price",
            "compare_at_price",
            "stock",
            "weight_grams",
        )
    )


def test_a_good_file_imports_exactly():
    staff = StaffFactory()

    result = import_csv(csv_text(), user=staff)

    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"]) == (3, 0)
    assert catalogue_snapshot() == [
        (
            "ethiopia-beans",
            "耶加雪菲咖啡豆",
            "coffee",
            "山頂烘焙",
            "active",
            "花香與柑橘調",
            "",
            "重量",
            "",
            "ETH-250",
            "250g",
            "",
            Decimal("450.00"),
            Decimal("520.00"),
            12,
            250,
        ),
        (
            "ethiopia-beans",
            "耶加雪菲咖啡豆",
            "coffee",
            "山頂烘焙",
            "active",
            "花香與柑橘調",
            "",
            "重量",
            "",
            "ETH-500",
            "500g",
            "",
            Decimal("820.00"),
            None,
            5,
            500,
        ),
        (
            "linen-shirt",
            "亞麻襯衫",
            "apparel",
            None,
            "draft",
            "透氣舒適",
            "胸圍 S 96 cm, M 100 cm",
            "尺寸",
            "顏色",
            "SHIRT-S-W",
            "S",
            "白",
            Decimal("1280.00"),
            Decimal("1580.00"),
            3,
            220,
        ),
    ]
    beans = Product.objects.get(slug="ethiopia-beans")
    shirt = Product.objects.get(slug="linen-shirt")
    assert beans.published_at is not None and beans.is_published
    assert shirt.published_at is None
    assert "eth-500" in beans.search_document
    assert sorted(
        StockMovement.objects.values_list("variant__sku", "delta", "actor", "reason")
    ) == [
        ("ETH-250", 12, staff.pk, "import"),
        ("ETH-500", 5, staff.pk, "import"),
        ("SHIRT-S-W", 3, staff.pk, "import"),
    ]


def test_a_dry_run_writes_nothing():
    result = import_csv(csv_text(), dry_run=True)

    assert result.totals["new"] == 3
    assert (Product.objects.count(), Variant.objects.count()) == (0, 0)


BAD_ROWS = {
    "unknown category": (
        1,
        ("coffee,", "tea-leaves,"),
        {"category": ["No category has the slug “tea-leaves”."]},
    ),
    "price not a number": (
        2,
        (",820,", ",abc,"),
        {"price": ["“abc” is not an amount; write digits only, such as 1280."]},
    ),
    "negative price": (
        2,
        (",820,", ",-820,"),
        {"price": ["An amount cannot be negative."]},
    ),
    "compare-at below price": (
        3,
        (",1280,1580,", ",1280,1180,"),
        {"compare_at_price": ["The compare-at price is below the price."]},
    ),
    "duplicate SKU": (
        2,
        ("ETH-500", "ETH-250"),
        {"sku": ["SKU ETH-250 is already on row 1 of this file."]},
    ),
    "bad status": (
        3,
        (",draft,", ",published,"),
        {"status": ["“published” is not a status; use draft, active or archived."]},
    ),
    "stock not a whole number": (
        3,
        (",3,220", ",2.5,220"),
        {"stock": ["“2.5” is not a whole number."]},
    ),
    "product columns disagree": (
        2,
        ("耶加雪菲咖啡豆", "耶加雪菲"),
        {
            "product_title": [
                "Differs from row 1 of the same product; "
                "product columns must match on every row."
            ]
        },
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_one_bad_row_imports_nothing_and_names_the_error(case):
    row_number, (old, new), expected = BAD_ROWS[case]
    existing = VariantFactory(sku="OLD-1", price=Decimal("100"), stock=4)
    rows = list(ROWS)
    rows[row_number - 1] = rows[row_number - 1].replace(old, new, 1)
    # A valid update of existing data in the same file must be undone too.
    rows.append(
        f"{existing.product.slug},{existing.product.title},"
        f"{existing.product.category.slug},,active,,,,,OLD-1,,,150,,9,0"
    )

    result = import_csv(csv_text(rows))

    assert [row.number for row in result.invalid_rows] == [row_number]
    assert result.invalid_rows[0].error_dict == expected
    assert not result.has_errors()
    assert Product.objects.count() == 1
    assert list(Variant.objects.values_list("sku", "price", "stock")) == [
        ("OLD-1", Decimal("100.00"), 4)
    ]
    assert not StockMovement.objects.exists()


def test_a_sku_cannot_move_to_another_product():
    VariantFactory(sku="ETH-250", product=ProductFactory(slug="other-beans"))

    result = import_csv(csv_text())

    assert result.invalid_rows[0].number == 1
    assert result.invalid_rows[0].error_dict == {
        "sku": [
            "SKU ETH-250 belongs to the product “other-beans”; "
            "a SKU cannot move to another product."
        ]
    }


def test_a_file_without_product_columns_updates_existing_variants_only():
    variant = VariantFactory(sku="ETH-250", price=Decimal("400"), stock=2)
    title = variant.product.title

    updated = import_csv("sku,price,stock\nETH-250,460,20\n")
    unknown = import_csv("sku,price,stock\nNEW-9,100,1\n")

    assert updated.totals["update"] == 1
    variant.refresh_from_db()
    assert (variant.price, variant.stock, variant.product.title) == (
        Decimal("460.00"),
        20,
        title,
    )
    assert unknown.invalid_rows[0].error_dict == {
        "product_slug": ["A new SKU needs a product slug."]
    }


def test_a_file_without_a_sku_column_is_refused_whole():
    result = import_csv("product_slug,price\nethiopia-beans,450\n")

    assert result.has_errors()
    assert [str(error.error) for error in result.base_errors] == [
        "The file has no “sku” column; the first row must hold the column names."
    ]
    assert not Product.objects.exists()


def test_export_then_import_round_trips():
    import_csv(csv_text())
    before = catalogue_snapshot()

    exported = ProductVariantResource().export().csv
    assert exported.splitlines()[0] == HEADER
    assert exported.splitlines()[1] == ROWS[0]

    again = import_csv(exported)
    assert (again.totals["new"], again.totals["update"]) == (0, 3)
    assert catalogue_snapshot() == before
    assert StockMovement.objects.count() == 3

    Variant.objects.all().delete()
    Product.objects.all().delete()
    fresh = import_csv(exported)
    assert fresh.totals["new"] == 3
    assert catalogue_snapshot() == before


# --- Through the admin -------------------------------------------------------


@pytest.fixture
def merchant(client):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    return user


def upload(text: str, name="products.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def test_admin_preview_shows_row_errors_and_offers_no_confirm(client, merchant):
    rows = list(ROWS)
    rows[1] = rows[1].replace(",820,", ",abc,")

    response = client.post(
        reverse("admin:catalog_product_import"),
        {"format": "0", "resource": "0", "import_file": upload(csv_text(rows))},
    )

    assert response.status_code == 200
    assert response.context["result"].invalid_rows[0].number == 2
    assert "confirm_form" not in response.context
    assert "“abc” is not an amount; write digits only, such as 1280." in (
        response.content.decode()
    )
    assert not Product.objects.exists()


def test_admin_import_preview_then_confirm(client, merchant):
    preview = client.post(
        reverse("admin:catalog_product_import"),
        {"format": "0", "resource": "0", "import_file": upload(csv_text())},
    )
    assert preview.status_code == 200
    assert not Product.objects.exists()
    confirm = preview.context["confirm_form"]

    response = client.post(
        reverse("admin:catalog_product_process_import"), confirm.initial, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("admin:catalog_product_changelist")
    assert [str(m) for m in response.context["messages"]] == [
        "Import finished: 3 new and 0 updated variants."
    ]
    assert Variant.objects.count() == 3


def test_admin_export_is_the_import_format(client, merchant):
    import_csv(csv_text())

    response = client.post(reverse("admin:catalog_product_export"), {"format": "0"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="products-')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert body.lstrip("\ufeff").splitlines() == [HEADER, *ROWS]


def test_customer_service_may_export_but_not_import(client):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=CUSTOMER_SERVICE))
    client.force_login(user)

    assert client.get(reverse("admin:catalog_product_import")).status_code == 403
    assert client.get(reverse("admin:catalog_product_export")).status_code == 200
