"""`manage.py seed_demo` against the database: counts, idempotency, logins."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count
from PIL import Image

from shop.accounts.models import Address, ConsentRecord, User
from shop.catalog.models import (
    AttributeValue,
    Brand,
    Category,
    Product,
    ProductImage,
    StockMovement,
    Variant,
)
from shop.catalog.stock import stock_differences

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_demo", verbosity=0, **options)


def counts():
    return {
        "categories": Category.objects.count(),
        "top categories": Category.objects.filter(parent=None).count(),
        "brands": Brand.objects.count(),
        "attribute values": AttributeValue.objects.count(),
        "products": Product.objects.count(),
        "variants": Variant.objects.count(),
        "images": ProductImage.objects.count(),
        "stock movements": StockMovement.objects.count(),
        "product attributes": Product.attribute_values.through.objects.count(),
        "shoppers": User.objects.filter(is_staff=False).count(),
        "staff": User.objects.filter(is_staff=True).count(),
        "addresses": Address.objects.count(),
        "consent records": ConsentRecord.objects.count(),
        "email addresses": EmailAddress.objects.count(),
    }


SMALL = {
    "categories": 24,
    "top categories": 8,
    "brands": 18,
    "attribute values": 100,
    "products": 30,
    "variants": 90,
    "images": 43,
    # 83 stocked variants, one per line of the demo members' order histories,
    # then the returns demo: its guest orders' lines, restocked returned
    # units and an exchange's stock hold.
    "stock movements": 135,
    "product attributes": 66,
    "shoppers": 5,
    "staff": 3,
    "addresses": 7,
    "consent records": 6,
    "email addresses": 8,
}


def test_small_seed_twice_creates_everything_once():
    seed(products=30, customers=5)
    assert counts() == SMALL
    last_ids = (
        Product.objects.latest("pk").pk,
        Variant.objects.latest("pk").pk,
        User.objects.order_by("pk").last().pk,
    )

    seed(products=30, customers=5)

    assert counts() == SMALL
    assert (
        Product.objects.latest("pk").pk,
        Variant.objects.latest("pk").pk,
        User.objects.order_by("pk").last().pk,
    ) == last_ids


def test_growing_the_seed_adds_only_what_is_missing():
    seed(products=30, customers=5)
    first = Product.objects.get(slug="yirgacheffe-g1-washed")
    first.title = "改過的名字"
    first.save()

    seed(products=40, customers=8)

    assert Product.objects.count() == 40
    assert User.objects.filter(is_staff=False).count() == 8
    assert Product.objects.get(slug="yirgacheffe-g1-washed").title == "改過的名字"


def test_seeded_products_are_published_with_stock_ledger_and_search_documents():
    seed(products=30, customers=0)
    assert Product.objects.published().count() == 30
    assert not Product.objects.filter(search_document="").exists()
    # The coin purse comes in 深咖啡 (dark brown).
    assert sorted(
        Product.objects.filter(search_document__contains="咖啡").values_list(
            "slug", flat=True
        )
    ) == [
        "drip-morning-blend",
        "drip-yirgacheffe",
        "guji-hambela-natural",
        "leather-coin-purse",
        "yirgacheffe-g1-washed",
    ]
    # The stock ledger adds up to every variant's stock.
    assert Variant.objects.filter(stock__gt=0).exists()
    assert stock_differences() == []
    beans = Product.objects.get(slug="yirgacheffe-g1-washed")
    assert beans.category.slug == "coffee-beans"
    assert beans.category.parent.slug == "coffee"
    assert beans.brand.name == "山嵐咖啡"
    assert sorted(beans.attribute_values.values_list("slug", flat=True)) == [
        "ethiopia",
        "light",
        "washed",
    ]
    assert list(beans.variants.values_list("sku", "price", "weight_grams")) == [
        ("CB-0001-01", 450, 260),
        ("CB-0001-02", 810, 500),
    ]


def test_pictures_and_their_renditions_are_stored_per_product():
    seed(products=3, customers=0)
    images = list(ProductImage.objects.order_by("pk"))
    # The first three are featured, which get a second picture.
    assert len(images) == 6
    assert len({image.image.name for image in images}) == 6
    for image in images:
        assert (image.width, image.height) == (800, 800)
        assert default_storage.exists(image.image.name)
        with default_storage.open(image.thumbnail.name) as file:
            assert Image.open(file).size == (400, 400)
        with default_storage.open(image.display.name) as file:
            assert Image.open(file).size == (800, 800)
    for category in Category.objects.all():
        assert default_storage.exists(category.image.name)


def test_staff_and_shoppers_can_log_in_with_the_demo_password(client):
    seed(products=0, customers=2)
    merchant = User.objects.get(email="merchant@example.com")
    assert (merchant.is_staff, merchant.is_superuser) == (True, True)
    assert list(merchant.groups.values_list("name", flat=True)) == ["Merchant"]
    service = User.objects.get(email="service@example.com")
    assert (service.is_staff, service.is_superuser) == (True, False)
    assert list(service.groups.values_list("name", flat=True)) == ["Customer service"]
    returns = User.objects.get(email="returns@example.com")
    assert list(returns.groups.values_list("name", flat=True)) == ["Returns staff"]
    for email in ("merchant@example.com", "member2@example.com"):
        assert client.login(email=email, password="demo1234") is True
        client.logout()
    member = User.objects.get(email="member1@example.com")
    assert member.name == "李俊宏"
    assert member.phone == "+886983030114"
    assert str(member.birthday) == "1987-12-26"
    assert list(member.addresses.values_list("city", "district", "is_default")) == [
        ("高雄市", "苓雅區", True)
    ]


def test_consents_match_their_history():
    seed(products=0, customers=20)
    for user in User.objects.filter(is_staff=False).annotate(
        records=Count("consent_records")
    ):
        granted = {record.channel for record in user.consent_records.all()}
        assert ("email" in granted) is user.accepts_email_marketing
        assert ("sms" in granted) is user.accepts_sms_marketing
        assert (user.email_marketing_changed_at is not None) is (
            user.accepts_email_marketing
        )


def test_reset_deletes_demo_products_and_shoppers_then_seeds_again(
    django_capture_on_commit_callbacks,
):
    seed(products=10, customers=3)
    staff_ids = set(User.objects.filter(is_staff=True).values_list("pk", flat=True))
    old_names = set(ProductImage.objects.values_list("image", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        seed(products=5, customers=2, reset=True)

    assert Product.objects.count() == 5
    assert User.objects.filter(is_staff=False).count() == 2
    assert set(User.objects.filter(is_staff=True).values_list("pk", flat=True)) == (
        staff_ids
    )
    assert Category.objects.count() == 24
    # Pictures of the deleted products went with them.
    new_names = set(ProductImage.objects.values_list("image", flat=True))
    assert not any(default_storage.exists(name) for name in old_names - new_names)


def test_negative_counts_are_refused():
    with pytest.raises(CommandError, match="cannot be negative"):
        seed(products=-1)


def test_summary_lists_counts_and_logins():
    out = StringIO()
    call_command("seed_demo", products=2, customers=1, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Products               2  (2 new)" in text
    assert "merchant@example.com     Merchant" in text
    assert "member1@example.com … member1@example.com" in text
    assert "password demo1234" in text


def test_default_seed_meets_the_demo_promise():
    seed()
    assert Product.objects.published().count() == 130
    tops_with_products = Category.objects.filter(
        parent=None, children__products__isnull=False
    ).distinct()
    assert tops_with_products.count() == 8
    assert User.objects.filter(is_staff=False).count() == 50
    assert Product.objects.filter(is_featured=True).count() == 16
    assert Variant.objects.filter(stock=0).exists()
    assert Variant.objects.filter(compare_at_price__isnull=False).exists()
    assert Product.objects.exclude(size_guide="").count() == 16
