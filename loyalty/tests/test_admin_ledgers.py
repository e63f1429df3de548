"""The read-only ledgers: points entries and lots, tier changes, spend."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.models import (
    Membership,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
    QualifyingSpend,
    TierChange,
)
from loyalty.tests.admin_support import (
    customer_service_login,
    entry_create,
    membership_of,
    merchant_login,
    queries_of,
    tier_change_create,
)
from loyalty.tests.factories import member_create, tier
from shop.orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

ENTRIES = reverse("admin:loyalty_pointsentry_changelist")
LOTS = reverse("admin:loyalty_pointslot_changelist")
CHANGES = reverse("admin:loyalty_tierchange_changelist")
SPEND = reverse("admin:loyalty_qualifyingspend_changelist")


@pytest.fixture
def merchant(client):
    return merchant_login(client)


def a_member(email, **fields):
    return membership_of(member_create(email=email, **fields))


def lot_create(membership, *, points=100, order=None, status=PointsLotStatus.AVAILABLE):
    now = timezone.now()
    return PointsLot.objects.create(
        membership=membership,
        status=status,
        points=points,
        remaining=points,
        available_at=now,
        expires_at=now + timedelta(days=365),
        order=order,
        created_at=now,
    )


def spend_create(membership, *, amount="1000", order=None):
    return QualifyingSpend.objects.create(
        membership=membership,
        amount=Decimal(amount),
        orders=1,
        order=order,
        counted_at=timezone.now(),
        idempotency_key=f"test-spend:{membership.pk}:{QualifyingSpend.objects.count()}",
    )


def row_one(membership, merchant):
    """One row of every ledger, each with an order and (where kept) an actor."""
    order = OrderFactory(user=membership.user)
    entry_create(membership, points=10, order=order, actor=merchant, reason="r")
    lot_create(membership, order=order)
    tier_change_create(
        membership,
        from_tier=tier("member"),
        to_tier=tier("silver"),
        order=order,
        actor=merchant,
    )
    spend_create(membership, order=order)


@pytest.mark.parametrize("url", [ENTRIES, LOTS, CHANGES, SPEND])
def test_ledger_query_count_is_constant(client, merchant, url):
    for n in range(3):
        row_one(a_member(f"m{n}@example.com"), merchant)
    queries_of(client, url)
    with_three = queries_of(client, url)
    row_one(a_member("extra@example.com"), merchant)

    assert queries_of(client, url) == with_three


def test_points_ledger_lists_entries_newest_first(client, merchant):
    lin = a_member("lin@example.com")
    order = OrderFactory(number="261122T0777", user=lin.user)
    entry_create(
        lin,
        kind=PointsEntryKind.EARN,
        pending=40,
        order=order,
        when=timezone.now() - timedelta(days=1),
    )
    entry_create(lin, points=-5, reason="Typo in an earlier gift", actor=merchant)

    response = client.get(ENTRIES)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [(r.kind, r.points, r.pending_points) for r in rows] == [
        (PointsEntryKind.ADJUST, -5, 0),
        (PointsEntryKind.EARN, 0, 40),
    ]
    body = response.content.decode()
    for text in (
        "lin@example.com",
        "261122T0777",
        "+40",
        "-5",
        "Typo in an earlier gift",
    ):
        assert text in body


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"kind__exact": "earn"}, ["lin"]),
        ({"q": "lin@example.com"}, ["lin"]),
        ({"q": "0912 345 678"}, ["lin"]),
        ({"q": "261122T0042"}, ["wang"]),
        ({"q": "261122t0042"}, ["wang"]),
        ({"q": "nobody@example.com"}, []),
        # Search is exact: part of an address is not enough on a big ledger.
        ({"q": "lin@"}, []),
    ],
)
def test_points_ledger_filters_and_search(client, merchant, params, expected):
    lin = a_member("lin@example.com", phone="+886912345678")
    wang = a_member("wang@example.com")
    entry_create(lin, kind=PointsEntryKind.EARN, pending=10)
    entry_create(wang, points=5, order=OrderFactory(number="261122T0042"))
    names = {lin.pk: "lin", wang.pk: "wang"}

    response = client.get(ENTRIES, params)

    assert response.status_code == 200
    assert [names[r.membership_id] for r in response.context["cl"].result_list] == (
        expected
    )


def test_each_ledger_filters_by_member(client, merchant):
    lin = a_member("lin@example.com")
    wang = a_member("wang@example.com")
    for membership in (lin, wang):
        row_one(membership, merchant)

    for url in (ENTRIES, LOTS, CHANGES, SPEND):
        response = client.get(url, {"membership__id__exact": lin.pk})
        assert response.status_code == 200
        assert {r.membership_id for r in response.context["cl"].result_list} == {lin.pk}


def test_ledgers_are_read_only(client, merchant):
    lin = a_member("lin@example.com")
    row_one(lin, merchant)
    rows = {
        "pointsentry": PointsEntry.objects.get(),
        "pointslot": PointsLot.objects.get(),
        "tierchange": TierChange.objects.filter(kind=TierChange.Kind.UPGRADE).get(),
        "qualifyingspend": QualifyingSpend.objects.get(),
    }

    for name, row in rows.items():
        change = reverse(f"admin:loyalty_{name}_change", args=[row.pk])
        page = client.get(change)
        assert page.status_code == 200, name
        assert 'name="_save"' not in page.content.decode(), name
        assert client.post(change, {}).status_code == 403, name
        assert client.get(reverse(f"admin:loyalty_{name}_add")).status_code == 403
        delete = reverse(f"admin:loyalty_{name}_delete", args=[row.pk])
        assert client.get(delete).status_code == 403, name
    assert Membership.objects.get(pk=lin.pk).points_available == 10


def test_tier_changes_and_spend_lists(client, merchant):
    lin = a_member("lin@example.com")
    tier_change_create(
        lin, from_tier=tier("member"), to_tier=tier("gold"), reason="Spent enough"
    )
    spend_create(lin, amount="15320.50", order=OrderFactory(number="261122T0500"))

    changes = client.get(CHANGES, {"kind__exact": "upgrade"})
    spend = client.get(SPEND)

    assert [
        (c.from_tier.code, c.to_tier.code, c.reason)
        for c in changes.context["cl"].result_list
    ] == [("member", "gold", "Spent enough")]
    assert "Gold" in changes.content.decode()
    body = spend.content.decode()
    assert "NT$15,321" in body
    assert "261122T0500" in body


def test_customer_service_reads_every_ledger(client, merchant):
    lin = a_member("lin@example.com")
    row_one(lin, merchant)
    client.logout()
    customer_service_login(client)

    for url in (ENTRIES, LOTS, CHANGES, SPEND):
        assert client.get(url).status_code == 200, url
    entry = PointsEntry.objects.get()
    change = reverse("admin:loyalty_pointsentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {}).status_code == 403
