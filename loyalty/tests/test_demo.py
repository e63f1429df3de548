"""The loyalty part of `seed_demo`: memberships, the documented stories, reset."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from loyalty.demo import (
    _expiring_month_start,
    featured_stories,
    member_state,
    memberships_seed,
)
from loyalty.models import (
    Membership,
    PointsEntry,
    PointsLot,
    PointsLotStatus,
    QualifyingSpend,
    TierChange,
)
from loyalty.selectors.tiers import tier_progress
from loyalty.services.points import points_reconcile
from shop.accounts.models import User
from shop.catalog.stock import stock_differences
from shop.orders.models import Order
from shop.orders.status import OrderStatus

pytestmark = pytest.mark.django_db

# The first sixteen products are one per category: enough for every history.
PRODUCTS = 16


def seed(**options):
    call_command("seed_demo", verbosity=0, **options)


def user(number):
    return User.objects.get(email=f"member{number}@example.com")


def loyalty_counts():
    return {
        "members": Membership.objects.count(),
        "tier changes": TierChange.objects.count(),
        "spend rows": QualifyingSpend.objects.count(),
        "points entries": PointsEntry.objects.count(),
        "lots": PointsLot.objects.count(),
        "orders": Order.objects.count(),
    }


def test_member1_is_exactly_as_the_readme_says():
    seed(products=PRODUCTS, customers=3)

    member1 = user(1)
    assert member_state(member1) == {
        "tier": "member",
        "tier_name": "一般會員",
        "spend": Decimal("4000.00"),
        "available": 300,
        "pending": 14,
    }
    orders = list(
        Order.objects.filter(user=member1)
        .order_by("placed_at")
        .values_list("status", "subtotal")
    )
    assert orders == [
        (OrderStatus.COMPLETED, Decimal("2520.00")),
        (OrderStatus.DELIVERED, Decimal("1480.00")),
    ]
    progress = tier_progress(membership=member1.membership)
    assert progress.next_tier.code == "silver"
    assert progress.next_spend_needed == Decimal("1000.00")
    assert progress.next_percent == 80
    # The pending 14 points wait for the cooling-off period of the second order.
    pending = PointsLot.objects.get(
        membership__user=member1, status=PointsLotStatus.PENDING
    )
    delivered = Order.objects.get(user=member1, status=OrderStatus.DELIVERED)
    assert pending.points == 14
    assert pending.available_at == delivered.delivered_at + datetime.timedelta(days=7)
    assert pending.available_at > timezone.now()


def test_member2_is_gold_with_points_expiring_soon_and_member3_is_vip():
    seed(products=PRODUCTS, customers=3)

    member2 = user(2)
    assert member_state(member2)["tier"] == "gold"
    assert member2.membership.tier_expires_on > timezone.localdate()
    soonest = (
        PointsLot.objects.filter(
            membership__user=member2,
            status=PointsLotStatus.AVAILABLE,
            remaining__gt=0,
        )
        .order_by("expires_at")
        .first()
    )
    today = timezone.localdate()
    assert soonest.remaining >= 200
    assert timezone.now() < soonest.expires_at
    assert timezone.localtime(soonest.expires_at).date() <= today + datetime.timedelta(
        days=32
    )
    assert member_state(user(3))["tier"] == "vip"


def test_seeding_twice_changes_nothing_and_the_ledgers_add_up():
    seed(products=PRODUCTS, customers=8)
    first = loyalty_counts()
    states = [member_state(user(n)) for n in range(1, 9)]

    seed(products=PRODUCTS, customers=8)

    assert loyalty_counts() == first
    assert [member_state(user(n)) for n in range(1, 9)] == states
    assert first["members"] == 8
    assert points_reconcile() == []
    out = StringIO()
    call_command("reconcile_points", stdout=out)
    assert out.getvalue() == "0 differences\n"
    assert stock_differences() == []
    # The history's emails were never sent.
    assert mail.outbox == []


def test_every_demo_shopper_gets_one_membership_with_the_day_they_joined():
    seed(products=0, customers=30)

    assert Membership.objects.count() == 30
    assert TierChange.objects.filter(kind=TierChange.Kind.JOINED).count() == 30
    member = Membership.objects.select_related("user", "tier").get(
        user__email="member7@example.com"
    )
    assert member.tier.code == "member"
    assert member.joined_at == member.user.date_joined == member.tier_since
    # Without the products no history is written, and a second run adds nothing.
    assert Order.objects.count() == 0
    assert memberships_seed() == 0


def test_bulk_memberships_take_no_query_per_shopper(django_assert_max_num_queries):
    seed(products=0, customers=2500)
    Membership.objects.all().delete()
    # Two INSERT … SELECT statements, whatever the number of shoppers.
    with django_assert_max_num_queries(4):
        assert memberships_seed() == 2500
    assert TierChange.objects.count() == 2500


def test_reset_clears_the_loyalty_data_and_seeds_it_again():
    seed(products=PRODUCTS, customers=3)
    old_member1 = user(1).pk

    seed(products=PRODUCTS, customers=3, reset=True)

    assert user(1).pk != old_member1
    assert loyalty_counts()["members"] == 3
    assert member_state(user(1))["available"] == 300
    assert points_reconcile() == []


def test_summary_names_the_demo_members():
    out = StringIO()
    call_command(
        "seed_demo", products=PRODUCTS, customers=3, stdout=out, stderr=StringIO()
    )
    text = out.getvalue()
    assert "Members                3  (3 new)" in text
    assert (
        "member1@example.com: 一般會員, spend NT$4,000, 300 points + 14 pending" in text
    )
    assert "Members by tier: 一般會員 1, 銀卡 0, 金卡 1, VIP 1" in text


def test_member2s_expiring_points_come_from_the_month_a_year_back():
    assert _expiring_month_start(datetime.date(2026, 11, 29)) == datetime.date(
        2025, 11, 1
    )
    # On the month's last day this month's points would expire tonight.
    assert _expiring_month_start(datetime.date(2026, 11, 30)) == datetime.date(
        2025, 12, 1
    )
    assert _expiring_month_start(datetime.date(2027, 1, 15)) == datetime.date(
        2026, 1, 1
    )
    story = featured_stories(datetime.date(2026, 11, 29))[1]
    assert story.points[0].at == datetime.date(2025, 11, 1)
    assert story.orders[0].days_ago == 392


def _buy(member, sku, *, points=None, key):
    from shop.catalog.models import Variant
    from shop.checkout.details import (
        contact_validate,
        shipping_address_values,
        shipping_validate,
    )
    from shop.checkout.models import ShippingMethod
    from shop.checkout.services import order_place
    from shop.core.shopper import shopper_for_user

    contact = contact_validate(email=member.email, name=member.name, phone=member.phone)
    return order_place(
        shopper=shopper_for_user(member),
        items={Variant.objects.get(sku=sku).pk: 1},
        contact=contact,
        shipping=shipping_validate(
            method=ShippingMethod.objects.get(code="home"),
            contact=contact,
            **shipping_address_values(member.addresses.get()),
        ),
        payment_method="atm",
        idempotency_key=key,
        options={"points": str(points)} if points else None,
    )


def test_the_done_when_journey_of_the_readme():
    from shop.orders.services import order_mark_delivered, order_mark_paid, order_ship

    seed(products=PRODUCTS, customers=1)
    member1 = user(1)

    # 阿里山 高山烏龍茶 150g (NT$1,240) reaches 銀卡 once paid.
    first = _buy(member1, "OL-0001-02", key="journey-first-order-0001")
    order_mark_paid(order=first)
    assert member_state(member1) == {
        "tier": "silver",
        "tier_name": "銀卡",
        "spend": Decimal("5240.00"),
        "available": 300,
        "pending": 26,
    }
    member1.membership.refresh_from_db()
    progress = tier_progress(membership=member1.membership)
    assert (progress.next_tier.code, progress.next_spend_needed) == (
        "gold",
        Decimal("9760.00"),
    )
    assert progress.next_percent == 34

    # 日月潭紅玉 散茶 at the 銀卡 price (NT$922), NT$150 of it paid with points.
    second = _buy(member1, "BT-0001-02", points=150, key="journey-second-order-01")
    assert second.total == Decimal("772.00")
    order_mark_paid(order=second)
    for order in (first, second):
        order_ship(order=order, carrier="黑貓宅急便", tracking_number="900012345678")
        order_mark_delivered(order=order)
    assert member_state(member1)["available"] == 150
    assert member_state(member1)["pending"] == 37

    call_command("loyalty_nightly", days=8, stdout=StringIO())

    state = member_state(member1)
    assert (state["available"], state["pending"]) == (187, 0)
    assert points_reconcile() == []
