"""Staff roles: Django groups whose permissions come from one table.

`ROLE_PERMISSIONS` is the only place that says what a role may do. Entries are
permission names as Django writes them (`"catalog.view_product"`), or
`"<app_label>.*"` for every permission of an app. `staff_roles_sync` makes the
groups match the table; data migrations call it, so a later issue that lets a
role do more edits the table and adds a migration that calls the sync again.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db.models import Q

MERCHANT = "Merchant"
CUSTOMER_SERVICE = "Customer service"
RETURNS_STAFF = "Returns staff"

_CATALOGUE_VIEW = (
    "catalog.view_category",
    "catalog.view_brand",
    "catalog.view_attribute",
    "catalog.view_attributevalue",
    "catalog.view_product",
    "catalog.view_productimage",
    "catalog.view_variant",
    "catalog.view_stockmovement",
)

# Customer service answers "where is my order?": it reads orders, never moves them.
_ORDERS_VIEW = (
    "orders.view_order",
    "orders.view_orderline",
    "orders.view_orderadjustment",
    "orders.view_orderadjustmentallocation",
    "orders.view_orderevent",
    "orders.view_payment",
    "orders.view_paymentevent",
)

# Customer service answers "where are my points?" and "why am I not 金卡?": it
# reads members and their ledgers, never adjusts points or changes tiers.
_LOYALTY_VIEW = (
    "loyalty.view_membership",
    "loyalty.view_pointsentry",
    "loyalty.view_pointslot",
    "loyalty.view_tierchange",
    "loyalty.view_qualifyingspend",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # The shop owner: the shop's apps, staff accounts and groups, the site,
    # social-login keys and API tokens, and the loyalty programme (adjusting
    # points included).
    MERCHANT: (
        "core.*",
        "accounts.*",
        "catalog.*",
        "orders.*",
        "cart.*",
        "checkout.*",
        "auth.*",
        "sites.*",
        "account.*",
        "socialaccount.*",
        "authtoken.*",
        "loyalty.*",
        "returns.*",
    ),
    CUSTOMER_SERVICE: (
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_address",
        "accounts.change_address",
        "accounts.view_consentrecord",
        *_CATALOGUE_VIEW,
        *_ORDERS_VIEW,
        *_LOYALTY_VIEW,
    ),
    # Returns staff work the returns queue: approve, receive, inspect, refund
    # (`add_refund`: the issue has staff process returns, refund included),
    # record bank transfers, write notes. They look orders and products up,
    # and change neither: no product, variant or price is theirs to edit.
    RETURNS_STAFF: (
        "returns.view_returnrequest",
        "returns.change_returnrequest",
        "returns.view_returnline",
        "returns.view_returnunit",
        "returns.change_returnunit",
        "returns.view_returnphoto",
        "returns.view_returnevent",
        "returns.view_returnnote",
        "returns.add_returnnote",
        "returns.view_exchangereservation",
        "returns.view_refund",
        "returns.add_refund",
        "returns.change_refund",
        "returns.view_refundunit",
        "returns.view_serialreturner",
        "returns.view_returnpolicy",
    ),
}


def _permission_query(entries) -> Q:
    query = Q(pk__in=[])
    for entry in entries:
        app_label, _dot, codename = entry.partition(".")
        if codename == "*":
            query |= Q(content_type__app_label=app_label)
        else:
            query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def staff_roles_sync(*, apps=None, using: str = "default") -> list[str]:
    """Create the role groups and give each exactly the permissions of the table.

    `apps` is the migration's app registry (the live one by default). Returns
    the named permissions that do not exist (yet): an app that migrates after
    the caller has no permissions then, and a later sync picks them up.
    """
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    missing: list[str] = []
    for role, entries in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        permissions = list(
            Permission.objects.using(using)
            .filter(_permission_query(entries))
            .select_related("content_type")
            if entries
            else []
        )
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        missing += [
            entry
            for entry in entries
            if not entry.endswith(".*") and entry not in found
        ]
        group.permissions.set(permissions)
    return missing


def _create_all_permissions(apps, using: str) -> None:
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module, which
        # the migration state's app configs never have.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None


def staff_roles_migrate(apps, schema_editor) -> None:
    """A data migration's RunPython: create permissions so far, then sync the roles."""
    using = schema_editor.connection.alias
    _create_all_permissions(apps, using)
    staff_roles_sync(apps=apps, using=using)


def staff_roles_sync_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: sync once every app's permissions exist (after the last app).

    Migrations alone can run before a later app's permissions exist, so an
    `app.*` entry would miss them on a fresh database; this catches up.
    """
    if sender is list(global_apps.get_app_configs())[-1]:
        staff_roles_sync(using=using)
