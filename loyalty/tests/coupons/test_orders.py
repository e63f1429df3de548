"""Coupons and orders: redeemed at placement, released on cancellation; issuing."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.coupons import adjusters as coupon_adjusters
from loyalty.coupons.services import (
    coupon_issue,
    coupon_redeem_for_order,
    coupon_release_for_order,
    coupons_issue_bulk,
)
from loyalty.errors import CouponError
from loyalty.models import Coupon, CouponKind, CouponRedemption, MemberCoupon
from loyalty.tests.coupons.support import (
    coupon_create,
    place_with_coupon,
    quote_of,
    variant,
)
from loyalty.tests.factories import member_create
from loyalty.tests.points_support import TAIPEI
from loyalty.tests.prices_fixtures import member_in
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.orders.models import Order
from shop.orders.services import order_cancel

pytestmark = pytest.mark.django_db


def used(coupon) -> int:
    return Coupon.objects.values_list("times_used", flat=True).get(pk=coupon.pk)


def test_placing_an_order_redeems_the_coupon(user, shipping_methods):  # noqa: F811
    a, b = variant("1000"), variant("500")
    coupon = coupon_create(max_discount=Decimal("120"))

    order = place_with_coupon(
        user, [(a, 2), (b, 1)], coupon="summer10", method=shipping_methods["store"]
    )

    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal("2500"),
        Decimal("-120"),
        Decimal("2380"),
    )
    stored = order.adjustments.get(code="coupon")
    assert (stored.label, stored.kind, stored.amount) == (
        "Coupon SUMMER10",
        "discount",
        Decimal("-120"),
    )
    assert sorted(stored.allocations.values_list("amount", flat=True)) == [
        Decimal("-96"),
        Decimal("-24"),
    ]
    redemption = CouponRedemption.objects.get()
    assert (
        redemption.coupon,
        redemption.user,
        redemption.order,
        redemption.amount,
    ) == (
        coupon,
        user,
        order,
        Decimal("120"),
    )
    assert used(coupon) == 1


def test_the_per_member_limit_and_a_cancellation_giving_the_use_back(
    user,
    shipping_methods,  # noqa: F811
):
    a = variant("1000")
    coupon = coupon_create(per_member_limit=1)
    order = place_with_coupon(
        user, [(a, 1)], coupon="SUMMER10", method=shipping_methods["store"]
    )
    with pytest.raises(CouponError) as caught:
        quote_of(user, [(a, 1)], coupon="SUMMER10")
    assert caught.value.message == "You have already used this coupon."
    # Somebody else may still use it.
    other = member_create(email="other@example.com")
    assert quote_of(other, [(a, 1)], coupon="SUMMER10").total.amount == Decimal("900")

    order_cancel(order=order, actor=None, reason="Changed my mind")

    redemption = CouponRedemption.objects.get()
    assert redemption.released_at is not None
    assert used(coupon) == 0
    assert quote_of(user, [(a, 1)], coupon="SUMMER10").total.amount == Decimal("900")
    assert order.events.filter(note="Coupon SUMMER10 given back: it can be used again.")


def test_redeeming_and_releasing_again_change_nothing(user, shipping_methods):  # noqa: F811
    a = variant("1000")
    coupon = coupon_create()
    order = place_with_coupon(
        user, [(a, 1)], coupon="SUMMER10", method=shipping_methods["store"]
    )
    order = Order.objects.get(pk=order.pk)

    assert coupon_redeem_for_order(order=order) == CouponRedemption.objects.get()
    assert used(coupon) == 1
    assert coupon_release_for_order(order=order) == 1
    assert coupon_release_for_order(order=order) == 0
    assert used(coupon) == 0
    # A released order is not redeemed a second time either.
    assert coupon_redeem_for_order(order=order).released_at is not None
    assert used(coupon) == 0


def test_an_order_without_a_coupon_redeems_nothing(user, shipping_methods):  # noqa: F811
    a = variant("1000")
    order = place_with_coupon(
        user, [(a, 1)], coupon="", method=shipping_methods["store"]
    )
    assert coupon_redeem_for_order(order=order) is None
    assert coupon_release_for_order(order=order) == 0


def test_placement_checks_the_limit_again_and_rolls_back(
    user,
    shipping_methods,  # noqa: F811
    monkeypatch,
):
    """The quote saw a free use; another checkout took it before the lock."""
    a = variant("1000", stock=5)
    coupon = coupon_create(usage_limit=1)
    check = coupon_adjusters.coupon_check

    def check_then_lose_the_race(*args, **kwargs):
        verdict = check(*args, **kwargs)
        Coupon.objects.filter(pk=coupon.pk).update(times_used=1)
        return verdict

    monkeypatch.setattr(coupon_adjusters, "coupon_check", check_then_lose_the_race)

    with pytest.raises(CouponError) as caught:
        place_with_coupon(
            user, [(a, 1)], coupon="SUMMER10", method=shipping_methods["store"]
        )

    assert (caught.value.message, caught.value.field) == (
        "This coupon has been fully redeemed.",
        "coupon",
    )
    assert Order.objects.count() == 0
    assert CouponRedemption.objects.count() == 0
    a.refresh_from_db()
    assert a.stock == 5


def test_a_voucher_is_used_once_and_comes_back_when_the_order_is_cancelled(
    user,
    shipping_methods,  # noqa: F811
):
    a = variant("1000")
    coupon = coupon_create(code="", kind=CouponKind.FIXED, value=Decimal("150"))
    voucher = coupon_issue(coupon=coupon, user=user, issue_key="gift:1", source="t")

    order = place_with_coupon(
        user, [(a, 1)], coupon=f"v:{voucher.pk}", method=shipping_methods["store"]
    )

    voucher.refresh_from_db()
    assert (voucher.used_at is not None, voucher.order) == (True, order)
    assert order.total == Decimal("850")
    redemption = CouponRedemption.objects.get()
    assert redemption.member_coupon == voucher
    with pytest.raises(CouponError) as caught:
        quote_of(user, [(a, 1)], coupon=f"v:{voucher.pk}")
    assert caught.value.message == "This voucher has already been used."

    order_cancel(order=order, actor=None)

    voucher.refresh_from_db()
    assert (voucher.used_at, voucher.order) == (None, None)
    assert quote_of(user, [(a, 1)], coupon=f"v:{voucher.pk}").total.amount == (
        Decimal("850")
    )


def test_a_free_shipping_coupon_records_the_fee_it_waived(user, shipping_methods):  # noqa: F811
    a = variant("1000")
    coupon_create(code="FREESHIP", kind=CouponKind.FREE_SHIPPING, value=0)

    order = place_with_coupon(
        user, [(a, 1)], coupon="FREESHIP", method=shipping_methods["home"]
    )

    assert (order.shipping_total, order.total) == (Decimal("0"), Decimal("1000"))
    assert CouponRedemption.objects.get().amount == Decimal("100")


def test_guests_use_an_open_coupon_without_a_per_person_count(shipping_methods):  # noqa: F811
    a = variant("1000")
    coupon = coupon_create(members_only=False, per_member_limit=1)
    for _ in range(2):
        place_with_coupon(
            None, [(a, 1)], coupon="SUMMER10", method=shipping_methods["store"]
        )
    assert list(CouponRedemption.objects.values_list("user", flat=True)) == [None, None]
    assert used(coupon) == 2


# --- Issuing --------------------------------------------------------------------


def test_issuing_is_once_per_key_and_expires_by_the_rules(user):
    now = datetime(2027, 1, 15, 10, tzinfo=TAIPEI)
    coupon = coupon_create(code="", valid_days=30)

    voucher = coupon_issue(
        coupon=coupon, user=user, issue_key="bday:2027", source="b", now=now
    )
    again = coupon_issue(
        coupon=coupon, user=user, issue_key="bday:2027", source="b", now=now
    )

    assert again == voucher
    assert MemberCoupon.objects.count() == 1
    assert (voucher.issued_at, voucher.expires_at, voucher.source) == (
        now,
        now + timedelta(days=30),
        "b",
    )
    # The coupon's end comes first.
    coupon.ends_at = datetime(2027, 2, 1, tzinfo=TAIPEI)
    coupon.save()
    later = coupon_issue(
        coupon=coupon, user=user, issue_key="bday:2028", source="b", now=now
    )
    assert later.expires_at == datetime(2027, 2, 1, tzinfo=TAIPEI)


def test_a_switched_off_or_ended_coupon_is_not_issued(user):
    coupon = coupon_create(is_active=False)
    with pytest.raises(CouponError) as caught:
        coupon_issue(coupon=coupon, user=user, issue_key="k", source="t")
    assert caught.value.message == (
        "“Summer sale” is switched off: switch it on before issuing it."
    )
    coupon.is_active = True
    coupon.ends_at = timezone.now() - timedelta(days=1)
    coupon.save()
    with pytest.raises(CouponError) as caught:
        coupons_issue_bulk(coupon=coupon, users=[user], issue_key="k", source="t")
    assert (
        caught.value.message
        == "“Summer sale” has ended: vouchers of it could not be used."
    )


def test_bulk_issue_to_a_tier_and_to_a_list(user):
    golds = [member_in("gold", email=f"gold{n}@example.com") for n in range(3)]
    vip = member_in("vip", email="vip@example.com")
    silver = member_in("silver", email="silver@example.com")
    coupon = coupon_create(code="", valid_days=10)

    assert (
        coupons_issue_bulk(coupon=coupon, tier_code="gold", issue_key="b:1", source="t")
        == 3
    )
    assert (
        coupons_issue_bulk(coupon=coupon, tier_code="gold", issue_key="b:1", source="t")
        == 0
    )
    # Gold and above: only the VIP is new under this key.
    assert (
        coupons_issue_bulk(
            coupon=coupon, tier_code="gold", and_above=True, issue_key="b:1", source="t"
        )
        == 1
    )
    assert (
        coupons_issue_bulk(
            coupon=coupon, users=[silver, user, golds[0]], issue_key="b:2", source="t"
        )
        == 3
    )
    holders = MemberCoupon.objects.filter(issue_key="b:1").values_list(
        "user", flat=True
    )
    assert sorted(holders) == sorted(u.pk for u in [*golds, vip])
    assert MemberCoupon.objects.count() == 7
    assert set(MemberCoupon.objects.values_list("expires_at", flat=True)) != {None}

    with pytest.raises(CouponError) as caught:
        coupons_issue_bulk(
            coupon=coupon, tier_code="diamond", issue_key="b:3", source="t"
        )
    assert (caught.value.message, caught.value.field) == (
        "There is no tier “diamond”.",
        "tier",
    )
