"""Helpers of the back-office tests (`test_admin_*.py`): staff logins and rows.

Ledger rows made here are written directly, as the services would leave
them, so a list can be filled without driving orders; the flows that change
balances go through the real services in the tests themselves.
"""

from __future__ import annotations

import csv
import io
import itertools

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loyalty.models import Membership, PointsEntry, PointsEntryKind, TierChange
from shop.accounts.tests.factories import StaffFactory
from shop.core.roles import CUSTOMER_SERVICE, MERCHANT

_keys = itertools.count(1)


def staff_login(client, role: str, email: str):
    """A member of staff in `role`, logged in, reading the back office in English."""
    user = StaffFactory(email=email)
    user.groups.set(Group.objects.filter(name=role))
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def merchant_login(client):
    return staff_login(client, MERCHANT, "owner@example.com")


def customer_service_login(client):
    return staff_login(client, CUSTOMER_SERVICE, "cs@example.com")


def membership_of(user) -> Membership:
    return Membership.objects.select_related("user", "tier").get(user=user)


def entry_create(
    membership,
    *,
    kind=PointsEntryKind.ADJUST,
    points=0,
    pending=0,
    order=None,
    actor=None,
    reason="",
    when=None,
) -> PointsEntry:
    """A ledger row and the cached balances it moves, as a service leaves them."""
    entry = PointsEntry.objects.create(
        membership=membership,
        kind=kind,
        points=points,
        pending_points=pending,
        order=order,
        actor=actor,
        reason=reason,
        idempotency_key=f"test-admin:{next(_keys)}",
        created_at=when or timezone.now(),
    )
    Membership.objects.filter(pk=membership.pk).update(
        points_available=membership.points_available + points,
        points_pending=membership.points_pending + pending,
    )
    membership.refresh_from_db()
    return entry


def tier_change_create(
    membership,
    *,
    to_tier,
    from_tier=None,
    kind=TierChange.Kind.UPGRADE,
    reason="",
    order=None,
    actor=None,
) -> TierChange:
    return TierChange.objects.create(
        membership=membership,
        kind=kind,
        from_tier=from_tier,
        to_tier=to_tier,
        reason=reason,
        order=order,
        actor=actor,
        created_at=timezone.now(),
    )


def queries_of(client, url, params=None) -> int:
    """How many queries one GET of `url` costs (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200
    return len(captured)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))


def _field_value(bound) -> str | list | None:
    value = bound.value()
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def change_form_data(response) -> dict:
    """What posting a rendered change page unchanged would send: the main
    form's fields and each inline formset's, management forms included."""
    data: dict = {}

    def add(form):
        for name in form.fields:
            value = _field_value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            add(form)
    return data
