"""Paid membership in the back office: plans, periods and their actions."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from loyalty.models import MembershipPlan, PaidMembership, PaidMembershipStatus
from loyalty.plans.selectors import membership_plans
from loyalty.tests.admin_support import merchant_login, queries_of
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import paid_member_create, plan_create

pytestmark = pytest.mark.django_db

PLANS = "/admin/loyalty/membershipplan/"
PERIODS = "/admin/loyalty/paidmembership/"


def plan_form(**values):
    data = {
        "name": "Plus",
        "code": "plus",
        "description": "",
        "period": "month",
        "price": "199",
        "free_shipping": "on",
        "extra_discount_percent": "5",
        "min_tier_code": "gold",
        "is_active": "on",
        "position": "0",
    }
    data.update(values)
    return data


def test_a_plan_is_added_with_a_tier_in_force_and_the_cache_cleared(client):
    merchant_login(client)
    assert membership_plans() == {}
    response = client.post(f"{PLANS}add/", plan_form(min_tier_code="diamond"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "min_tier_code": [
            "Select a valid choice. diamond is not one of the available choices."
        ]
    }
    response = client.post(f"{PLANS}add/", plan_form())
    assert response.status_code == 302
    plan = MembershipPlan.objects.get(code="plus")
    assert plan.min_tier_code == "gold"
    assert list(membership_plans()) == [plan.pk]

    client.post(f"{PLANS}{plan.pk}/change/", plan_form(code="other", price="249"))
    plan.refresh_from_db()
    # The code is fixed once saved; the cached copy follows the change.
    assert (plan.code, str(plan.price)) == ("plus", "249.00")
    assert str(membership_plans()[plan.pk].price) == "249.00"


def test_a_plan_is_priced_in_whole_dollars(client):
    merchant_login(client)
    response = client.post(f"{PLANS}add/", plan_form(price="199.50"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "price": ["Enter a whole amount."]
    }
    assert not MembershipPlan.objects.exists()


def make_periods(count):
    for _ in range(count):
        paid_member_create(
            user=member_create(),
            plan=plan_create(code=f"p{MembershipPlan.objects.count()}"),
            paid_at=timezone.now(),
        )


def test_the_periods_list_reads_a_fixed_number_of_queries(client):
    merchant_login(client)
    make_periods(2)
    few = queries_of(client, PERIODS)
    few_active = queries_of(client, PERIODS, {"status": "active"})
    make_periods(3)
    assert queries_of(client, PERIODS) == few
    assert queries_of(client, PERIODS, {"status": "active"}) == few_active


def test_the_plans_list_reads_a_fixed_number_of_queries(client):
    merchant_login(client)
    plan_create("a")
    few = queries_of(client, PLANS)
    plan_create("b")
    plan_create("c")
    assert queries_of(client, PLANS) == few


def test_the_period_page_is_read_only(client):
    merchant_login(client)
    paid = paid_member_create(
        user=member_create(), plan=plan_create(), paid_at=timezone.now()
    )
    assert client.get(f"{PERIODS}{paid.pk}/change/").status_code == 200
    assert client.post(f"{PERIODS}{paid.pk}/change/", {}).status_code == 403


def test_cancel_action_asks_a_reason_then_calls_the_service(client):
    staff = merchant_login(client)
    paid = paid_member_create(
        user=member_create(), plan=plan_create(), paid_at=timezone.now()
    )
    form = {"action": "cancel_at_period_end", "_selected_action": [paid.pk]}
    confirm = client.post(PERIODS, form)
    assert confirm.status_code == 200
    assert "Cancel at period end" in confirm.content.decode()

    refused = client.post(PERIODS, {**form, "apply": "1", "reason": ""})
    assert refused.context["form"].errors == {"reason": ["Give a reason."]}
    client.post(PERIODS, {**form, "apply": "1", "reason": "Asked by phone"})
    paid.refresh_from_db()
    assert paid.status == PaidMembershipStatus.CANCELLED
    entry = LogEntry.objects.get(user=staff, object_id=str(paid.pk))
    assert entry.change_message == "Cancel at period end: Asked by phone"


def test_refund_action_applies_the_one_time_rule(client):
    merchant_login(client)
    plan = plan_create()
    fresh = paid_member_create(user=member_create(), plan=plan, paid_at=timezone.now())
    used = paid_member_create(user=member_create(), plan=plan, paid_at=timezone.now())
    PaidMembership.objects.filter(pk=used.pk).update(
        benefit_used_at=timezone.now() - timedelta(minutes=5)
    )
    response = client.post(
        PERIODS,
        {
            "action": "refund_one_time",
            "_selected_action": [fresh.pk, used.pk],
            "apply": "1",
            "reason": "Changed their mind",
        },
        follow=True,
    )
    fresh.refresh_from_db()
    used.refresh_from_db()
    assert fresh.status == PaidMembershipStatus.REFUNDED
    assert fresh.purchase.status == "refunded"
    assert used.status == PaidMembershipStatus.ACTIVE
    messages = [str(m) for m in response.context["messages"]]
    assert f"{used.purchase.number}: Its benefits were used on" in messages[0]
    assert messages[1] == "1 paid membership changed."


def test_staff_cannot_settle_their_own_membership(client):
    staff = merchant_login(client)
    paid = paid_member_create(user=staff, plan=plan_create(), paid_at=timezone.now())
    response = client.post(
        PERIODS,
        {
            "action": "refund_one_time",
            "_selected_action": [paid.pk],
            "apply": "1",
            "reason": "Mine",
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "You cannot change your own paid membership."
    ]
    paid.refresh_from_db()
    assert paid.status == PaidMembershipStatus.ACTIVE
