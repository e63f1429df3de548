"""Qualifying spend and upgrades, driven through the real order flow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from loyalty.dates import add_months
from loyalty.errors import LoyaltyError
from loyalty.models import Membership, QualifyingSpend, TierChange
from loyalty.services import tiers as tier_services
from loyalty.tests.factories import member_create, tier
from loyalty.tests.tiers_support import membership_of, spend_add
from shop.catalog.tests.factories import VariantFactory
from shop.orders import services as orders
from shop.orders import signals
from shop.orders.models import Order
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


def order_for(user, price, *, shipping=Decimal("80"), language="en", **fields):
    """An unpaid order of `user` for one item at `price` plus shipping."""
    variant = VariantFactory(price=Decimal(price), stock=5)
    return order_with_lines(
        user=user,
        items=[(variant, 1)],
        shipping_fee=shipping,
        language=language,
        email=user.email,
        **fields,
    )


def pay(order, capture):
    with capture(execute=True):
        return orders.order_mark_paid(order=order)


def valid_through(today: date, months: int = 12) -> date:
    return add_months(today, months) - timedelta(days=1)


def test_payment_counts_spend_and_upgrades_in_the_same_transaction(
    django_capture_on_commit_callbacks,
):
    user = member_create(email="amy@example.com", name="Amy")
    order = order_for(user, "5200")

    order = pay(order, django_capture_on_commit_callbacks)

    today = timezone.localdate()
    [row] = QualifyingSpend.objects.all()
    assert (row.amount, row.orders, row.order_id) == (Decimal("5200.00"), 1, order.pk)
    assert row.idempotency_key == f"spend:order:{order.pk}"
    assert row.counted_at == order.paid_at
    membership = membership_of(user)
    assert membership.tier.code == "silver"
    assert membership.tier_expires_on == valid_through(today)
    assert membership.total_spend == Decimal("5200.00")
    assert membership.order_count == 1
    assert membership.last_order_at == order.placed_at
    change = TierChange.objects.get(kind=TierChange.Kind.UPGRADE)
    assert change.from_tier.code == "member"
    assert change.to_tier.code == "silver"
    assert change.reason == "Spent NT$5,200 in 12 months"
    assert change.order_id == order.pk
    assert change.expires_on == valid_through(today)
    assert change.created_at == membership.tier_since
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        f"[Hinoki Living] Payment received for order {order.number}",
        "[Hinoki Living] Welcome to Silver",
    ]
    upgraded = next(m for m in mail.outbox if "Welcome" in m.subject)
    assert upgraded.to == ["amy@example.com"]
    assert "Congratulations: you are now a Silver member!" in upgraded.body
    assert "Points multiplier: ×1.5" in upgraded.body


def test_upgrade_rolls_back_with_the_payment(django_capture_on_commit_callbacks):
    user = member_create()
    order = order_for(user, "5200")

    def refuse(sender, **kwargs):
        raise RuntimeError("a later receiver fails")

    signals.order_paid.connect(refuse, weak=False, dispatch_uid="test.refuse")
    try:
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
        ):
            orders.order_mark_paid(order=order)
    finally:
        signals.order_paid.disconnect(dispatch_uid="test.refuse")

    membership = membership_of(user)
    assert membership.tier.code == "member"
    assert membership.total_spend == Decimal("0")
    assert QualifyingSpend.objects.count() == 0
    assert not TierChange.objects.filter(kind=TierChange.Kind.UPGRADE).exists()
    assert mail.outbox == []


def test_spend_excludes_shipping_and_counts_discounts_off():
    user = member_create()
    order = order_for(user, "5100", discount=Decimal("200"))  # total 4980

    orders.order_mark_paid(order=order)

    assert QualifyingSpend.objects.get().amount == Decimal("4900.00")
    # Under NT$5,000 in the window: silver only through the single-order rule.
    change = TierChange.objects.get(kind=TierChange.Kind.UPGRADE)
    assert (change.to_tier.code, change.reason) == ("silver", "One order of NT$4,900")


def test_one_big_order_qualifies_for_silver(django_capture_on_commit_callbacks):
    user = member_create()

    pay(order_for(user, "3000"), django_capture_on_commit_callbacks)

    assert membership_of(user).tier.code == "silver"
    change = TierChange.objects.get(kind=TierChange.Kind.UPGRADE)
    assert change.reason == "One order of NT$3,000"


def test_an_order_just_under_the_single_order_amount_does_not():
    user = member_create()

    orders.order_mark_paid(order=order_for(user, "2999"))

    assert membership_of(user).tier.code == "member"
    assert not TierChange.objects.filter(kind=TierChange.Kind.UPGRADE).exists()


def test_spend_over_the_window_adds_up_to_the_highest_tier(
    django_capture_on_commit_callbacks,
):
    user = member_create()
    spend_add(user, "9000", on=timezone.localdate() - timedelta(days=200))

    pay(order_for(user, "6000"), django_capture_on_commit_callbacks)

    membership = membership_of(user)
    assert membership.tier.code == "gold"
    change = TierChange.objects.get(kind=TierChange.Kind.UPGRADE)
    assert (change.from_tier.code, change.to_tier.code) == ("member", "gold")
    assert change.reason == "Spent NT$15,000 in 12 months"
    assert [m.subject for m in mail.outbox if "Welcome" in m.subject] == [
        "[Hinoki Living] Welcome to Gold"
    ]


def test_spend_older_than_the_window_does_not_count():
    user = member_create()
    old = add_months(timezone.localdate(), -12)  # the day before the window
    spend_add(user, "4000", on=old)

    orders.order_mark_paid(order=order_for(user, "2000"))

    assert membership_of(user).tier.code == "member"


def test_calendar_year_window_counts_this_year_only(
    django_capture_on_commit_callbacks,
):
    from loyalty.models import Tier
    from loyalty.selectors.programme import programme_cache_clear

    Tier.objects.filter(pk=tier("silver").pk).update(
        qualify_window="calendar_year", qualify_single_order=None
    )
    programme_cache_clear()
    today = timezone.localdate()
    user = member_create()
    spend_add(user, "4000", on=date(today.year - 1, 12, 31))

    orders.order_mark_paid(order=order_for(user, "2000"))
    assert membership_of(user).tier.code == "member"

    pay(order_for(user, "3000"), django_capture_on_commit_callbacks)
    assert membership_of(user).tier.code == "silver"
    change = TierChange.objects.get(kind=TierChange.Kind.UPGRADE)
    assert change.reason == "Spent NT$5,000 this calendar year"


def test_a_replayed_paid_event_counts_once():
    user = member_create()
    order = order_for(user, "5200")
    order = orders.order_mark_paid(order=order)

    signals.order_paid.send(sender=Order, order=order, payment=None)
    tier_services.spend_count_order(order=order)

    assert QualifyingSpend.objects.count() == 1
    membership = membership_of(user)
    assert (membership.total_spend, membership.order_count) == (Decimal("5200.00"), 1)
    assert TierChange.objects.filter(kind=TierChange.Kind.UPGRADE).count() == 1


def test_guest_orders_do_not_count():
    order = order_with_lines()

    orders.order_mark_paid(order=order)

    assert tier_services.spend_count_order(order=order) is None
    assert QualifyingSpend.objects.count() == 0


def test_cancellation_removes_the_spend_without_a_downgrade():
    user = member_create()
    order = orders.order_mark_paid(order=order_for(user, "5200"))

    orders.order_cancel(order=order, reason="Out of stock")

    rows = list(QualifyingSpend.objects.order_by("id"))
    assert [(r.amount, r.orders) for r in rows] == [
        (Decimal("5200.00"), 1),
        (Decimal("-5200.00"), -1),
    ]
    assert rows[1].counted_at == rows[0].counted_at
    assert rows[1].idempotency_key == f"spend:order:{order.pk}:cancel"
    membership = membership_of(user)
    assert (membership.total_spend, membership.order_count) == (Decimal("0.00"), 0)
    # Re-evaluated at the next evaluation point (the expiry), not now.
    assert membership.tier.code == "silver"
    assert not TierChange.objects.filter(kind=TierChange.Kind.DOWNGRADE).exists()
    assert tier_services.spend_uncount_order(order=order) is None
    assert QualifyingSpend.objects.count() == 2


def test_cancelling_an_unpaid_order_changes_nothing():
    user = member_create()
    order = order_for(user, "5200")

    orders.order_cancel(order=order, reason="Changed my mind")

    assert QualifyingSpend.objects.count() == 0
    assert membership_of(user).order_count == 0


def test_partial_return_removes_part_of_the_spend_once():
    user = member_create()
    order = orders.order_mark_paid(order=order_for(user, "5200"))

    first = tier_services.spend_remove(
        order=order, amount=Decimal("1200"), idempotency_key="return:7", reason="R7"
    )
    again = tier_services.spend_remove(
        order=order, amount=Decimal("1200"), idempotency_key="return:7", reason="R7"
    )
    rest = tier_services.spend_remove(
        order=order, amount=Decimal("9999"), idempotency_key="return:8", reason="R8"
    )

    assert again.pk == first.pk
    assert (first.amount, first.orders) == (Decimal("-1200.00"), 0)
    assert rest.amount == Decimal("-4000.00")
    assert first.counted_at == order.paid_at
    membership = membership_of(user)
    assert (membership.total_spend, membership.order_count) == (Decimal("0.00"), 1)
    assert (
        tier_services.spend_remove(
            order=order, amount=Decimal("1"), idempotency_key="return:9", reason="R9"
        )
        is None
    )
    with pytest.raises(LoyaltyError):
        tier_services.spend_remove(
            order=order, amount=Decimal("0"), idempotency_key="return:10", reason=""
        )


def test_cancel_after_a_partial_return_removes_what_is_left():
    user = member_create()
    order = orders.order_mark_paid(order=order_for(user, "5200"))
    tier_services.spend_remove(
        order=order, amount=Decimal("200"), idempotency_key="return:1", reason="R1"
    )

    tier_services.spend_uncount_order(order=order)

    assert QualifyingSpend.objects.order_by("-id").first().amount == Decimal("-5000.00")
    assert membership_of(user).total_spend == Decimal("0.00")


def test_staff_set_a_tier_with_a_reason(django_capture_on_commit_callbacks):
    from shop.accounts.tests.factories import StaffFactory

    staff = StaffFactory()
    user = member_create(name="Amy")

    with django_capture_on_commit_callbacks(execute=True):
        change = tier_services.tier_set(
            user=user, tier=tier("gold"), reason="Press partner", actor=staff
        )

    membership = membership_of(user)
    assert membership.tier.code == "gold"
    assert membership.tier_expires_on == valid_through(timezone.localdate())
    assert (change.kind, change.actor_id, change.reason) == (
        TierChange.Kind.MANUAL,
        staff.pk,
        "Press partner",
    )
    assert [m.subject for m in mail.outbox] == ["[Hinoki Living] Welcome to Gold"]

    with django_capture_on_commit_callbacks(execute=True):
        tier_services.tier_set(
            user=user, tier=tier("member"), reason="Partnership ended", actor=staff
        )
    membership = membership_of(user)
    assert (membership.tier.code, membership.tier_expires_on) == ("member", None)
    assert len(mail.outbox) == 1

    with pytest.raises(LoyaltyError):
        tier_services.tier_set(user=user, tier=tier("vip"), reason=" ", actor=staff)
    assert Membership.objects.get(user=user).tier_id == tier("member").pk
