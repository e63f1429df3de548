"""Paid membership benefits at checkout: extra discount, free shipping, tier floor."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.models import PaidMembership
from loyalty.plans.services import (
    paid_membership_cancel,
    paid_membership_mark_benefit_used,
    paid_memberships_lapse,
)
from loyalty.prices import tier_price_set
from loyalty.shopper import LoyaltyShopper
from loyalty.tests.checkout_support import DETAILS, review_place
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import paid_member_create, plan_create
from loyalty.tests.prices_fixtures import home_delivery, member_in, store_pickup
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.errors import CheckoutError
from shop.checkout.pricing import quote_build
from shop.orders.models import Order

pytestmark = pytest.mark.django_db


def adjustment(quote, code):
    [found] = [a for a in quote.adjustments if a.code == code]
    return found


def paid_now(user, plan):
    return paid_member_create(
        user=user, plan=plan, paid_at=timezone.now() - timedelta(hours=1)
    )


def test_the_plans_discount_is_exact_and_allocated_over_the_lines():
    user = member_create()
    paid_now(user, plan_create(extra_discount_percent="5"))
    a, b, c = (VariantFactory(price=Decimal("333")) for _ in range(3))

    quote = quote_build(shopper=LoyaltyShopper(user), items=[(a, 1), (b, 1), (c, 1)])

    discount = adjustment(quote, "paid_membership")
    # 999 × 5% = 49.95, rounded half up once to NT$50, then shared 17/17/16.
    assert discount.label == "Plus member discount 5%"
    assert discount.amount.amount == Decimal("-50")
    assert discount.kind == "discount"
    assert discount.allocations == {
        str(a.pk): Decimal("-17"),
        str(b.pk): Decimal("-17"),
        str(c.pk): Decimal("-16"),
    }
    assert discount.data == {"plan": "plus", "percent": "5.00"}
    assert quote.total.amount == Decimal("949")


def test_without_a_plan_or_with_a_zero_percent_there_is_no_discount():
    plain = member_create()
    zero = member_create()
    paid_now(zero, plan_create(extra_discount_percent="0"))
    drip = VariantFactory(price=Decimal("500"))
    for user in (plain, zero):
        quote = quote_build(shopper=LoyaltyShopper(user), items=[(drip, 1)])
        assert [a.code for a in quote.adjustments] == []


def test_the_plan_ships_free_below_every_threshold():
    home = home_delivery()
    user = member_create()
    paid_now(user, plan_create(extra_discount_percent="0"))
    drip = VariantFactory(price=Decimal("500"))

    quote = quote_build(
        shopper=LoyaltyShopper(user), items=[(drip, 1)], shipping_method=home
    )

    shipping = adjustment(quote, "shipping")
    assert shipping.label == "Free shipping for Plus members (宅配到府)"
    assert shipping.amount.amount == 0
    assert shipping.data == {
        "method": "home",
        "waived_fee": "100",
        "paid_membership": "plus",
    }
    # Over the method's own threshold the plain reason wins: no plan benefit used.
    big = quote_build(
        shopper=LoyaltyShopper(user), items=[(drip, 3)], shipping_method=home
    )
    assert adjustment(big, "shipping").label == "Free shipping (宅配到府)"


def test_a_gold_member_ships_free_as_gold_not_as_the_plan():
    home = home_delivery()
    user = member_in("gold")
    paid_now(user, plan_create(extra_discount_percent="0"))
    drip = VariantFactory(price=Decimal("100"))
    quote = quote_build(
        shopper=LoyaltyShopper(user), items=[(drip, 1)], shipping_method=home
    )
    assert adjustment(quote, "shipping").data == {
        "method": "home",
        "waived_fee": "100",
        "tier": "gold",
    }


def test_the_plans_minimum_tier_gives_gold_prices_while_it_runs():
    drip = VariantFactory(price=Decimal("500"))
    tier_price_set(variant=drip, tier_code="gold", price=Decimal("420"))
    user = member_create()
    plan = plan_create(
        extra_discount_percent="0", free_shipping=False, min_tier_code="gold"
    )
    before = quote_build(shopper=LoyaltyShopper(user), items=[(drip, 1)])
    assert before.subtotal.amount == Decimal("500")

    paid = paid_now(user, plan)
    shopper = LoyaltyShopper(user)
    quote = quote_build(shopper=shopper, items=[(drip, 1)])
    assert shopper.tier.code == "gold"
    assert quote.lines[0].price.label == "Gold price"
    assert quote.subtotal.amount == Decimal("420")

    # A higher tier of the member's own is kept.
    vip = member_in("vip")
    paid_now(vip, plan)
    assert LoyaltyShopper(vip).tier.code == "vip"

    # Once the period is over the member's own tier prices again.
    PaidMembership.objects.filter(pk=paid.pk).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    after = quote_build(shopper=LoyaltyShopper(user), items=[(drip, 1)])
    assert after.subtotal.amount == Decimal("500")


def test_a_cancelled_plan_keeps_its_benefits_until_the_end_then_lapses():
    user = member_create()
    paid = paid_now(user, plan_create())
    drip = VariantFactory(price=Decimal("1000"))

    paid_membership_cancel(paid_membership=paid, actor=user)
    quote = quote_build(shopper=LoyaltyShopper(user), items=[(drip, 1)])
    assert adjustment(quote, "paid_membership").amount.amount == Decimal("-50")

    assert paid_memberships_lapse(now=paid.ends_at) == 1
    paid.refresh_from_db()
    assert paid.status == "lapsed"
    later = quote_build(shopper=LoyaltyShopper(user), items=[(drip, 1)])
    assert later.adjustments == []


def test_an_order_with_the_plans_discount_uses_the_benefit(client):
    store_pickup()
    user = member_create(name="林小美", phone="+886912345678")
    paid = paid_now(user, plan_create())
    drip = VariantFactory(price=Decimal("1000"), stock=5, sku="DRIP")
    client.force_login(user)
    client.post("/cart/add/", {"variant": drip.pk})
    response = client.post("/checkout/", {**DETAILS, "payment_method": "cod"})
    assert response.url == "/checkout/review/"
    assert review_place(client).status_code == 302

    order = Order.objects.get(user=user)
    [discount] = order.adjustments.filter(code="paid_membership")
    assert (discount.label, discount.amount) == (
        "Plus member discount 5%",
        Decimal("-50"),
    )
    assert sorted(discount.allocations.values_list("amount", flat=True)) == [
        Decimal("-50")
    ]
    assert order.total == Decimal("950")
    paid.refresh_from_db()
    assert paid.benefit_used_at == order.placed_at


def test_orders_without_a_plan_benefit_leave_the_period_unused():
    user = member_in("gold")
    paid = paid_now(
        user, plan_create(extra_discount_percent="0", min_tier_code="silver")
    )
    order = Order(user=user, placed_at=timezone.now())
    order.placed_adjustments = []
    assert paid_membership_mark_benefit_used(order=order) is None
    paid.refresh_from_db()
    assert paid.benefit_used_at is None


def test_an_order_placed_while_the_plan_lifts_the_tier_uses_the_benefit():
    user = member_create()
    paid = paid_now(user, plan_create(extra_discount_percent="0", min_tier_code="gold"))
    order = Order(user=user, placed_at=timezone.now())
    order.placed_adjustments = []
    assert paid_membership_mark_benefit_used(order=order) == paid
    paid.refresh_from_db()
    assert paid.benefit_used_at == order.placed_at


def test_an_order_priced_with_a_plan_that_ended_meanwhile_is_refused():
    user = member_create()
    paid = paid_now(user, plan_create())
    PaidMembership.objects.filter(pk=paid.pk).update(status="refunded")

    class Priced:
        code = "paid_membership"
        data = {"plan": "plus"}

    order = Order(user=user, placed_at=timezone.now())
    order.placed_adjustments = [Priced()]
    with pytest.raises(CheckoutError) as refused:
        paid_membership_mark_benefit_used(order=order)
    assert refused.value.code == "paid_membership_ended"
