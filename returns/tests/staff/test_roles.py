"""The Returns staff role: works the returns queue, looks orders and products
up, and edits no product, variant or price."""

from decimal import Decimal

import pytest
from django.urls import reverse

from returns.models import ReturnPolicy, ReturnStatus
from returns.tests.factories import return_request_make
from returns.tests.staff.support import QUEUE_URL, page_url
from shop.catalog.models import Product, Variant
from shop.catalog.tests.factories import ProductFactory, VariantFactory
from shop.core.roles import MERCHANT, RETURNS_STAFF, ROLE_PERMISSIONS
from shop.core.tests.test_roles import group_permissions, index_models

pytestmark = pytest.mark.django_db


def test_the_roles_migration_gave_returns_staff_the_table():
    assert group_permissions(RETURNS_STAFF) == set(ROLE_PERMISSIONS[RETURNS_STAFF])
    assert {
        "returns.change_returnrequest",
        "returns.add_refund",
        "returns.add_returnnote",
    } <= group_permissions(RETURNS_STAFF)
    assert not {
        p
        for p in group_permissions(RETURNS_STAFF)
        if p.startswith(("catalog.", "orders."))
        and not p.split(".")[1].startswith("view_")
    }
    assert "returns.delete_returnrequest" in group_permissions(MERCHANT)
    assert "returns.change_returnpolicy" in group_permissions(MERCHANT)


def test_returns_staff_see_the_returns_only(desk_client):
    assert index_models(desk_client) == {
        ("returns", "ReturnRequest"),
        ("returns", "Refund"),
        ("returns", "SerialReturner"),
        ("returns", "ReturnPolicy"),
        # The return analytics dashboard (returns.views_analytics).
        ("returns", "ReturnAnalytics"),
    }
    assert not {
        p for p in group_permissions(RETURNS_STAFF) if not p.startswith("returns.")
    }


def test_returns_staff_open_the_queue_and_process_a_return(desk_client):
    request = return_request_make()

    assert desk_client.get(reverse(QUEUE_URL)).status_code == 200
    response = desk_client.post(page_url(request, "approve"), {"note": ""})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ReturnStatus.APPROVED
    # The order's facts are on the return's page; the order admin is not theirs.
    queue = desk_client.get(reverse(QUEUE_URL)).content.decode()
    order_page = reverse("admin:orders_order_change", args=[request.order_id])
    assert request.order.number in queue and order_page not in queue
    assert desk_client.get(order_page).status_code == 403


def test_returns_staff_cannot_edit_products_or_prices(desk_client):
    product = ProductFactory(title="亞麻襯衫")
    variant = VariantFactory(product=product, price=Decimal("1280"))
    product_change = reverse("admin:catalog_product_change", args=[product.pk])
    variant_change = reverse("admin:catalog_variant_change", args=[variant.pk])

    assert desk_client.get(product_change).status_code == 403
    assert desk_client.post(product_change, {"title": "改名"}).status_code == 403
    assert (
        desk_client.post(variant_change, {"price": "1", "sku": variant.sku}).status_code
        == 403
    )
    assert desk_client.get(reverse("admin:catalog_product_add")).status_code == 403
    assert (
        desk_client.post(
            reverse("admin:catalog_product_add"), {"title": "新商品"}
        ).status_code
        == 403
    )
    assert desk_client.get(reverse("admin:catalog_variant_add")).status_code == 403
    assert (
        desk_client.get(
            reverse("admin:catalog_product_delete", args=[product.pk])
        ).status_code
        == 403
    )
    assert desk_client.get(reverse("admin:catalog_product_import")).status_code == 403
    assert desk_client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    product.refresh_from_db()
    variant.refresh_from_db()
    assert (product.title, variant.price) == ("亞麻襯衫", Decimal("1280"))
    assert Product.objects.count() == 1
    assert Variant.objects.count() == 1


def test_returns_staff_read_the_return_policy_but_do_not_change_it(desk_client):
    url = reverse("admin:returns_returnpolicy_change", args=[1])
    ReturnPolicy.objects.get_or_create(pk=1)

    assert desk_client.get(url).status_code == 200
    assert desk_client.post(url, {"merchant_window_days": "60"}).status_code == 403
    assert ReturnPolicy.objects.get(pk=1).merchant_window_days == 30
