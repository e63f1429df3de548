"""The member list and a member's page in the back office."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loyalty.admin.paginator import LargeTablePaginator
from loyalty.models import (
    Membership,
    PointsEntry,
    PointsEntryKind,
    QualifyingSpend,
    TierChange,
)
from loyalty.services.membership import membership_ensure
from loyalty.tests.admin_support import (
    csv_rows,
    customer_service_login,
    entry_create,
    membership_of,
    merchant_login,
    queries_of,
    staff_login,
    tier_change_create,
)
from loyalty.tests.factories import member_create, tier
from shop.core.roles import RETURNS_STAFF
from shop.orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:loyalty_membership_changelist")
EXPORT = reverse("admin:loyalty_membership_export")


def change_url(membership):
    return reverse("admin:loyalty_membership_change", args=[membership.pk])


def adjust_url(membership):
    return reverse("admin:loyalty_membership_adjust_points", args=[membership.pk])


def tier_url(membership):
    return reverse("admin:loyalty_membership_change_tier", args=[membership.pk])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def member(
    email,
    *,
    name="",
    phone="",
    code="member",
    spend="0",
    orders=0,
    last=None,
    joined=None,
    available=0,
    pending=0,
):
    """A member with the cached figures the list shows."""
    user = member_create(email=email, name=name, phone=phone)
    fields = {
        "tier": tier(code),
        "total_spend": Decimal(spend),
        "order_count": orders,
        "last_order_at": last,
    }
    if joined is not None:
        fields["joined_at"] = joined
    Membership.objects.filter(user=user).update(**fields)
    if available or pending:
        # Balances come with the ledger rows that explain them.
        entry_create(membership_of(user), points=available, pending=pending)
    return membership_of(user)


@pytest.fixture
def merchant(client):
    return merchant_login(client)


@pytest.fixture
def members():
    return {
        "lin": member(
            "lin@example.com",
            name="林小姐",
            phone="+886912345678",
            code="silver",
            spend="5200",
            orders=3,
            last=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
            joined=datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
            available=120,
            pending=40,
        ),
        "wang": member(
            "wang@example.com",
            name="=王先生",
            code="gold",
            spend="16000.50",
            orders=9,
            last=datetime(2026, 3, 5, 16, 30, tzinfo=UTC),
            joined=datetime(2024, 6, 30, 20, 0, tzinfo=UTC),
            available=800,
        ),
        "new": member(
            "new@example.com",
            joined=datetime(2026, 3, 6, 1, 0, tzinfo=UTC),
        ),
    }


# --- the list ---------------------------------------------------------------------


def test_member_list_shows_tier_points_and_spend(client, merchant, members):
    response = client.get(CHANGELIST)

    assert response.status_code == 200
    rows = response.context["cl"].result_list
    # Newest member first (by primary key).
    assert [m.user.email for m in rows] == [
        "new@example.com",
        "wang@example.com",
        "lin@example.com",
    ]
    body = response.content.decode()
    for text in (
        "林小姐",
        "Silver",
        "Gold",
        "NT$5,200",
        "NT$16,001",
        "2026-03-01 20:00",
    ):
        assert text in body
    assert response.context["may_export"] is True
    assert "Export this list to CSV" in body


def test_member_list_query_count_is_constant(client, merchant):
    for n in range(3):
        member(f"m{n}@example.com", code="silver", spend="100")
    queries_of(client, CHANGELIST)  # warm the tier cache and the session

    with_three = queries_of(client, CHANGELIST)
    member(
        "extra@example.com",
        code="gold",
        spend="9000",
        last=datetime(2026, 1, 1, tzinfo=UTC),
        available=5,
    )
    with_four = queries_of(client, CHANGELIST)

    assert with_four == with_three
    # Filtered and searched lists too.
    params = {"tier": "gold", "points": "available", "q": "example"}
    queries_of(client, CHANGELIST, params)
    assert queries_of(client, CHANGELIST, params) == queries_of(
        client, CHANGELIST, params
    )


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"tier": "silver"}, ["lin"]),
        ({"tier": "gold"}, ["wang"]),
        ({"points": "available"}, ["wang", "lin"]),
        ({"points": "pending"}, ["lin"]),
        ({"points": "none"}, ["new"]),
        ({"spend": "0"}, ["new"]),
        ({"spend": "5000-14999"}, ["lin"]),
        ({"spend": "15000-39999"}, ["wang"]),
        ({"spend": "40000+"}, []),
        ({"last_order": "never"}, ["new"]),
        ({"q": "lin@example.com"}, ["lin"]),
        ({"q": "LIN@example.com"}, ["lin"]),
        ({"q": "0912-345-678"}, ["lin"]),
        ({"q": "王先生"}, ["wang"]),
        ({"q": "wang@"}, ["wang"]),
        ({"o": "6"}, ["new", "lin", "wang"]),
        ({"o": "-6"}, ["wang", "lin", "new"]),
        ({"o": "8"}, ["new", "lin", "wang"]),
        ({"o": "-8"}, ["wang", "lin", "new"]),
        ({"o": "9"}, ["lin", "wang", "new"]),
    ],
)
def test_filters_search_and_sorting(client, merchant, members, params, expected):
    response = client.get(CHANGELIST, params)

    assert response.status_code == 200
    by_pk = {m.pk: key for key, m in members.items()}
    assert [by_pk[m.pk] for m in response.context["cl"].result_list] == expected


def test_last_order_filter_counts_from_now(client, merchant, members, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 4, 3, 0, 0, tzinfo=UTC))

    within_30 = client.get(CHANGELIST, {"last_order": "30d"})
    older = client.get(CHANGELIST, {"last_order": "older"})

    assert [m.user.email for m in within_30.context["cl"].result_list] == [
        "wang@example.com"
    ]
    assert list(older.context["cl"].result_list) == []


# --- CSV export ---------------------------------------------------------------------


HEADER = [
    "Email",
    "Name",
    "Tier",
    "Points available",
    "Points pending",
    "Total spend",
    "Orders",
    "Last order",
    "Joined on",
]


def test_csv_export_of_the_filtered_list(client, merchant, members):
    response = client.get(EXPORT, {"points": "available"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="members-')
    assert csv_rows(response) == [
        HEADER,
        [
            "wang@example.com",
            "'=王先生",
            "Gold",
            "800",
            "0",
            "16001",
            "9",
            "2026-03-06 00:30",
            "2024-07-01 04:00",
        ],
        [
            "lin@example.com",
            "林小姐",
            "Silver",
            "120",
            "40",
            "5200",
            "3",
            "2026-03-01 20:00",
            "2025-01-02 11:04",
        ],
    ]


def test_csv_export_follows_search_and_sorting(client, merchant, members):
    searched = client.get(EXPORT, {"q": "new@example.com"})
    sorted_by_spend = client.get(EXPORT, {"o": "6"})

    assert csv_rows(searched) == [
        HEADER,
        ["new@example.com", "", "Member", "0", "0", "0", "0", "", "2026-03-06 09:00"],
    ]
    assert [row[0] for row in csv_rows(sorted_by_spend)[1:]] == [
        "new@example.com",
        "lin@example.com",
        "wang@example.com",
    ]


def test_csv_export_of_selected_members(client, merchant, members):
    response = client.post(
        CHANGELIST,
        {
            "action": "export_selected_csv",
            helpers.ACTION_CHECKBOX_NAME: [members["lin"].pk, members["new"].pk],
        },
    )

    assert response.status_code == 200
    assert [row[0] for row in csv_rows(response)] == [
        "Email",
        "new@example.com",
        "lin@example.com",
    ]


def test_csv_export_with_a_bad_filter_goes_back_to_the_list(client, merchant):
    response = client.get(EXPORT, {"no_such_field__gt": "1"})

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST + "?e=1"


# --- a member's page ----------------------------------------------------------------


def test_member_page_shows_ledgers_lots_and_tier_history(client, merchant, members):
    lin = members["lin"]
    order = OrderFactory(number="261122T9001", user=lin.user)
    entry_create(lin, kind=PointsEntryKind.EARN, pending=40, order=order)
    entry_create(lin, points=120, reason="Welcome gift", actor=merchant)
    tier_change_create(
        lin, from_tier=tier("member"), to_tier=tier("silver"), reason="Spent NT$5,000"
    )

    response = client.get(change_url(lin))

    assert response.status_code == 200
    body = response.content.decode()
    # Newest first; the last is the fixture's opening balance.
    assert [e.reason for e in response.context["member_entries"]] == [
        "Welcome gift",
        "",
        "",
    ]
    assert [c.kind for c in response.context["member_tier_changes"]] == [
        TierChange.Kind.UPGRADE,
        TierChange.Kind.JOINED,
    ]
    for text in ("261122T9001", "Welcome gift", "+120", "+40", "Spent NT$5,000"):
        assert text in body
    assert "Adjust points" in body
    assert "Change tier" in body
    assert response.context["may_adjust"] is True
    # Read-only: no save buttons, no delete.
    assert 'name="_save"' not in body
    assert (
        client.get(
            reverse("admin:loyalty_membership_delete", args=[lin.pk])
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:loyalty_membership_add")).status_code == 403


def test_member_page_query_count_is_constant(client, merchant, members):
    lin = members["lin"]
    for n in range(3):
        entry_create(lin, points=10, order=OrderFactory(), reason=f"r{n}")
    queries_of(client, change_url(lin))
    with_three = queries_of(client, change_url(lin))
    entry_create(lin, points=10, order=OrderFactory(), actor=merchant)
    tier_change_create(lin, to_tier=tier("gold"), actor=merchant)

    assert queries_of(client, change_url(lin)) == with_three


# --- adjusting points ---------------------------------------------------------------


def adjust_form(client, membership):
    page = client.get(adjust_url(membership))
    assert page.status_code == 200
    return page.context["form"]["idempotency_key"].value()


def test_adjust_points_needs_a_reason(client, merchant, members):
    lin = members["lin"]
    key = adjust_form(client, lin)

    response = client.post(
        adjust_url(lin), {"points": "100", "reason": "  ", "idempotency_key": key}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Give a reason: every adjustment is kept with its reason."]
    }
    # Only the fixture's opening balance: nothing was written.
    assert PointsEntry.objects.filter(membership=lin).count() == 1


def test_adjust_points_refuses_zero(client, merchant, members):
    lin = members["lin"]
    key = adjust_form(client, lin)

    response = client.post(
        adjust_url(lin), {"points": "0", "reason": "x", "idempotency_key": key}
    )

    assert response.context["form"].errors == {
        "points": ["Enter a number of points other than 0."]
    }


def test_adjust_points_with_a_reason_writes_the_ledger(client, merchant):
    user = member_create(email="amy@example.com")
    membership = membership_of(user)
    key = adjust_form(client, membership)

    response = client.post(
        adjust_url(membership),
        {"points": "250", "reason": "Late delivery, ticket 88", "idempotency_key": key},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == change_url(membership)
    entry = PointsEntry.objects.get(membership=membership)
    assert (entry.kind, entry.points, entry.reason, entry.actor_id) == (
        PointsEntryKind.ADJUST,
        250,
        "Late delivery, ticket 88",
        merchant.pk,
    )
    membership.refresh_from_db()
    assert membership.points_available == 250
    assert texts(response) == [
        "Added 250 points to amy@example.com. Points available now: 250."
    ]
    log = LogEntry.objects.get(object_id=str(membership.pk))
    assert (
        log.get_change_message() == "Adjusted points by +250: Late delivery, ticket 88"
    )

    # The same form posted again (a double click, a reload) adds nothing.
    client.post(
        adjust_url(membership),
        {"points": "250", "reason": "Late delivery, ticket 88", "idempotency_key": key},
    )
    membership.refresh_from_db()
    assert membership.points_available == 250
    assert PointsEntry.objects.filter(membership=membership).count() == 1


def test_taking_more_points_than_available_is_a_form_error(client, merchant):
    user = member_create(email="amy@example.com")
    membership = membership_of(user)
    key = adjust_form(client, membership)
    client.post(
        adjust_url(membership),
        {"points": "30", "reason": "Gift", "idempotency_key": key},
    )
    key = adjust_form(client, membership)

    response = client.post(
        adjust_url(membership),
        {"points": "-50", "reason": "Mistake", "idempotency_key": key},
    )

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors() or response.context[
        "form"
    ].errors.get("points")
    assert errors
    membership.refresh_from_db()
    assert membership.points_available == 30
    assert PointsEntry.objects.filter(membership=membership).count() == 1


def test_adjust_points_rejects_a_forged_key(client, merchant, members):
    lin = members["lin"]

    response = client.post(
        adjust_url(lin), {"points": "5", "reason": "x", "idempotency_key": "earn:1"}
    )

    assert response.context["form"].errors == {
        "idempotency_key": ["Reload the page and try again."]
    }


# --- changing the tier --------------------------------------------------------------


def test_change_tier_needs_a_reason(client, merchant, members):
    lin = members["lin"]

    response = client.post(tier_url(lin), {"tier": tier("gold").pk, "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Give a reason: every tier change is kept with its reason."]
    }
    assert membership_of(lin.user).tier.code == "silver"


def test_change_tier_moves_the_member_with_history(client, merchant):
    user = member_create(email="amy@example.com")
    membership = membership_of(user)
    page = client.get(tier_url(membership))
    assert page.status_code == 200
    assert [label for _v, label in page.context["form"].fields["tier"].choices] == [
        "Member",
        "Silver",
        "Gold",
        "VIP",
    ]

    response = client.post(
        tier_url(membership),
        {"tier": tier("gold").pk, "reason": "Influencer partnership"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == change_url(membership)
    assert membership_of(user).tier.code == "gold"
    change = TierChange.objects.filter(membership=membership).latest("id")
    assert (change.kind, change.to_tier.code, change.reason, change.actor_id) == (
        TierChange.Kind.MANUAL,
        "gold",
        "Influencer partnership",
        merchant.pk,
    )
    assert texts(response) == ["amy@example.com is now in the tier Gold."]


# --- customer service ----------------------------------------------------------------


def test_customer_service_reads_members_but_cannot_change_them(client, members):
    customer_service_login(client)
    lin = members["lin"]

    changelist = client.get(CHANGELIST)
    page = client.get(change_url(lin))

    assert changelist.status_code == 200
    assert changelist.context["may_export"] is False
    assert "Export this list to CSV" not in changelist.content.decode()
    assert "export_selected_csv" not in changelist.content.decode()
    assert page.status_code == 200
    body = page.content.decode()
    assert page.context["may_adjust"] is False
    assert page.context["may_set_tier"] is False
    assert adjust_url(lin) not in body
    assert tier_url(lin) not in body
    assert client.get(adjust_url(lin)).status_code == 403
    assert (
        client.post(
            adjust_url(lin),
            {
                "points": "100",
                "reason": "x",
                "idempotency_key": "admin-adjust:" + "0" * 32,
            },
        ).status_code
        == 403
    )
    assert client.get(tier_url(lin)).status_code == 403
    assert client.get(EXPORT).status_code == 403
    action = client.post(
        CHANGELIST,
        {"action": "export_selected_csv", helpers.ACTION_CHECKBOX_NAME: [lin.pk]},
    )
    # The role has no actions at all: the post just shows the list again.
    assert action.status_code == 200
    assert action["Content-Type"] == "text/html; charset=utf-8"
    # Only the fixture's opening balance: nothing was written.
    assert PointsEntry.objects.filter(membership=lin).count() == 1
    assert membership_of(lin.user).points_available == 120


def test_returns_staff_sees_no_members(client, members):
    staff_login(client, RETURNS_STAFF, "returns@example.com")

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(members["lin"])).status_code == 403


# --- big tables -------------------------------------------------------------------


def count_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


def test_a_small_member_list_is_counted_exactly(client, merchant, members):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST)

    assert response.context["cl"].result_count == 3
    assert len(count_queries(captured)) == 1
    # Only PostgreSQL is asked for its estimate (one cheap catalogue read).
    estimates = [q for q in captured if "pg_class" in q["sql"]]
    assert len(estimates) == (1 if connection.vendor == "postgresql" else 0)


def test_an_unfiltered_big_list_is_counted_from_postgres_statistics(
    client, merchant, members, on_postgres, monkeypatch
):
    monkeypatch.setattr(LargeTablePaginator, "exact_below", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE loyalty_membership")

    with CaptureQueriesContext(connection) as captured:
        unfiltered = client.get(CHANGELIST)
    estimated = [q["sql"] for q in captured if "pg_class" in q["sql"]]
    member_counts = [s for s in count_queries(captured) if "loyalty_membership" in s]
    with CaptureQueriesContext(connection) as captured:
        filtered = client.get(CHANGELIST, {"tier": "silver"})

    assert unfiltered.context["cl"].result_count == 3
    assert len(estimated) == 1
    assert member_counts == []
    # A filtered list is what the merchant asked about: counted exactly.
    assert filtered.context["cl"].result_count == 1
    assert len(count_queries(captured)) == 1
    assert not [q for q in captured if "pg_class" in q["sql"]]


def test_member_page_shows_progress_to_the_next_tier_and_retention(client, merchant):
    user = member_create(email="amy@example.com")
    today = timezone.localdate()
    expires = today + timedelta(days=300)
    Membership.objects.filter(user=user).update(
        tier=tier("silver"),
        tier_since=timezone.now() - timedelta(days=30),
        tier_expires_on=expires,
    )
    membership = membership_of(user)
    QualifyingSpend.objects.create(
        membership=membership,
        amount=Decimal("1000"),
        orders=1,
        counted_at=timezone.now() - timedelta(days=10),
        idempotency_key="test-admin-progress",
    )

    response = client.get(change_url(membership))

    body = " ".join(response.content.decode().split())
    assert "Gold: NT$14,000 more spend (6% of the way)." in body
    assert (
        f"NT$2,000 more spend by {expires.isoformat()} keeps Silver (33% done)." in body
    )
    assert expires.isoformat() in body


def test_a_base_member_never_expires(client, merchant, members):
    response = client.get(change_url(members["new"]))

    body = " ".join(response.content.decode().split())
    assert "Does not expire" in body
    assert "The tier does not expire." in body
    assert "Silver: NT$5,000 more spend (0% of the way)." in body


def test_staff_cannot_adjust_their_own_points_or_tier(client, merchant):
    membership_ensure(user=merchant)
    own = membership_of(merchant)

    page = client.get(change_url(own))
    adjust = client.post(
        adjust_url(own),
        {"points": "5000", "reason": "gift to myself", "idempotency_key": "adjust:x"},
    )
    tier_move = client.post(
        tier_url(own), {"tier": tier("vip").pk, "reason": "promote myself"}
    )

    assert page.context["may_adjust"] is False
    assert page.context["may_set_tier"] is False
    assert (adjust.status_code, tier_move.status_code) == (403, 403)
    own.refresh_from_db()
    assert (own.points_available, own.tier.code) == (0, "member")


def test_posting_the_member_page_changes_nothing(client, merchant):
    user = member_create(email="amy@example.com")
    membership = membership_of(user)
    key = adjust_form(client, membership)
    client.post(
        adjust_url(membership),
        {"points": "30", "reason": "Gift", "idempotency_key": key},
    )

    response = client.post(change_url(membership), {})

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.points_available == 30
