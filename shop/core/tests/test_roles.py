import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from shop.accounts.tests.factories import StaffFactory
from shop.catalog.tests.factories import ProductFactory
from shop.core import roles
from shop.core.roles import (
    CUSTOMER_SERVICE,
    MERCHANT,
    RETURNS_STAFF,
    ROLE_PERMISSIONS,
    staff_roles_sync,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"  # the factories' password


def group_permissions(name: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


def logged_in_staff(client, *groups: str):
    user = StaffFactory()
    user.groups.set(Group.objects.filter(name__in=groups))
    response = client.post(
        reverse("admin:login"),
        {"username": user.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302, "the admin login failed"
    return user


def index_models(client) -> set[tuple[str, str]]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }


def test_the_migration_created_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        MERCHANT,
        CUSTOMER_SERVICE,
        RETURNS_STAFF,
    }
    assert group_permissions(CUSTOMER_SERVICE) == set(
        ROLE_PERMISSIONS[CUSTOMER_SERVICE]
    )
    assert group_permissions(RETURNS_STAFF) == set(ROLE_PERMISSIONS[RETURNS_STAFF])


def test_every_permission_named_in_the_table_exists():
    assert staff_roles_sync() == []


def test_the_merchant_holds_every_permission_of_the_listed_apps():
    apps = {entry.split(".")[0] for entry in ROLE_PERMISSIONS[MERCHANT]}
    expected = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(content_type__app_label__in=apps)
    }

    assert group_permissions(MERCHANT) == expected
    assert {
        "catalog.delete_product",
        "accounts.change_user",
        "auth.change_group",
        "socialaccount.change_socialapp",
        "loyalty.adjust_points",
        "loyalty.change_tierscheme",
    } <= expected


def test_sync_restores_the_table_and_reports_unknown_names(monkeypatch):
    group = Group.objects.get(name=CUSTOMER_SERVICE)
    group.permissions.remove(Permission.objects.get(codename="view_product"))
    group.permissions.add(Permission.objects.get(codename="delete_product"))

    assert staff_roles_sync() == []
    assert group_permissions(CUSTOMER_SERVICE) == set(
        ROLE_PERMISSIONS[CUSTOMER_SERVICE]
    )

    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS, RETURNS_STAFF, ("catalog.view_product", "x.view_y")
    )
    assert staff_roles_sync() == ["x.view_y"]
    assert group_permissions(RETURNS_STAFF) == {"catalog.view_product"}


def test_a_merchant_sees_everything_a_superuser_sees(client):
    superuser = StaffFactory(is_superuser=True)
    client.force_login(superuser)
    everything = index_models(client)
    client.logout()

    logged_in_staff(client, MERCHANT)

    assert index_models(client) == everything
    assert {("catalog", "Product"), ("auth", "Group"), ("accounts", "User")} <= (
        everything
    )


def test_customer_service_sees_customers_and_reads_the_catalogue(client):
    product = ProductFactory()
    logged_in_staff(client, CUSTOMER_SERVICE)

    # Orders are read-only for the role; whichever order models the orders
    # admin registers must show, and nothing else of that app.
    orders = {
        ("orders", model._meta.object_name)
        for model in admin.site._registry
        if model._meta.app_label == "orders"
    }
    assert index_models(client) == orders | {
        ("accounts", "User"),
        ("accounts", "Address"),
        ("accounts", "ConsentRecord"),
        ("catalog", "Product"),
        ("catalog", "Category"),
        ("catalog", "Brand"),
        ("catalog", "Attribute"),
        ("catalog", "Variant"),
        ("catalog", "StockMovement"),
        ("orders", "Order"),
        ("loyalty", "Membership"),
        ("loyalty", "PointsEntry"),
        ("loyalty", "PointsLot"),
        ("loyalty", "TierChange"),
        ("loyalty", "QualifyingSpend"),
    }
    change_url = reverse("admin:catalog_product_change", args=[product.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {"title": "改名"}).status_code == 403
    assert client.get(reverse("admin:catalog_product_add")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    product.refresh_from_db()
    assert product.title != "改名"


def test_customer_service_reads_loyalty_but_cannot_adjust_points():
    permissions = group_permissions(CUSTOMER_SERVICE)

    assert {p for p in permissions if p.startswith("loyalty.")} == {
        "loyalty.view_membership",
        "loyalty.view_pointsentry",
        "loyalty.view_pointslot",
        "loyalty.view_tierchange",
        "loyalty.view_qualifyingspend",
    }
    assert "loyalty.adjust_points" not in permissions
    assert not {p for p in group_permissions(RETURNS_STAFF) if "loyalty" in p}


def test_returns_staff_see_the_returns_only(client):
    logged_in_staff(client, RETURNS_STAFF)

    # The returns queue and its pages (returns/tests/staff/test_roles.py has
    # the rest); nothing of the catalogue, the orders or the customers.
    assert {app for app, _model in index_models(client)} == {"returns"}
    for url in (
        reverse("admin:catalog_product_changelist"),
        reverse("admin:orders_order_changelist"),
        reverse("admin:catalog_product_add"),
        reverse("admin:catalog_category_changelist"),
        reverse("admin:accounts_user_changelist"),
    ):
        assert client.get(url).status_code == 403
