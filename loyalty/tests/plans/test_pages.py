"""The member area's paid membership pages: plans, buy, cancel, refund."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loyalty.models import PaidMembership, PaidMembershipStatus, Purchase
from loyalty.plans.services import paid_membership_cancel
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import paid_member_create, plan_create

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def member(client):
    user = member_create(name="Amy", email="amy@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def plan():
    return plan_create(min_tier_code="gold")


def page(client):
    response = client.get(reverse("loyalty:plans"), **EN)
    assert response.status_code == 200
    return response.content.decode()


def button_class(html, text) -> str:
    """The class of the link or button whose text is `text`."""
    found = re.search(
        r'<(?:a|button)\b[^>]*class="([^"]*)"[^>]*>' + re.escape(text) + "<", html
    )
    assert found, f"no button {text!r}"
    return found.group(1)


def test_guests_are_sent_to_log_in(client):
    for name in ("loyalty:plans", "loyalty:plan_cancel"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith("/account/login/")


def test_a_member_without_a_plan_sees_the_plans_with_price_and_benefits(
    client, member, plan
):
    plan_create("off", name="Retired", is_active=False)
    html = page(client)
    assert "You have no paid membership now." in html
    assert "NT$199 a month" in html
    assert "Free shipping on every order" in html
    assert "An extra 5% off items" in html
    assert "At least Gold prices and benefits while it lasts" in html
    assert button_class(html, "Buy Plus") == "button"
    assert "Retired" not in html
    assert "Cancel membership" not in html
    assert "Paid membership" in html  # the menu link


def test_cancel_is_exactly_as_visible_as_renew(client, member, plan):
    # Ends in a few days: renewal is open, so both actions are offered.
    paid_member_create(
        user=member, plan=plan, paid_at=timezone.now() - timedelta(days=27)
    )
    html = page(client)
    assert button_class(html, "Cancel membership") == button_class(
        html, "Renew with Plus"
    )
    assert "Renew now: the next period starts when this one ends" in html


def test_renewal_is_not_offered_before_it_opens(client, member, plan):
    paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    html = page(client)
    assert "Renewal opens on" in html
    assert "Renew with Plus" not in html
    assert button_class(html, "Cancel membership") == "button"
    # Bought just now and unused: the refund is offered, with its rule.
    assert button_class(html, "Refund Plus") == "button"
    assert "Each account can be refunded once." in html


def test_buying_goes_to_the_payment_page_and_paying_starts_the_period(
    client, member, plan
):
    response = client.post(
        reverse("loyalty:plan_buy"), {"plan": "plus", "gateway": "card"}
    )
    purchase = Purchase.objects.get(user=member)
    assert (purchase.kind, purchase.amount, purchase.status) == (
        "membership",
        plan.price,
        "pending",
    )
    assert response.status_code == 302
    pay_page = response.url
    assert pay_page.startswith("/account/purchases/sandbox/")

    paid = client.post(pay_page, {"outcome": "paid"})
    assert paid.status_code == 302
    period = PaidMembership.objects.get(user=member)
    assert (period.plan, period.purchase, period.status) == (
        plan,
        purchase,
        PaidMembershipStatus.ACTIVE,
    )
    html = page(client)
    assert "<dd>Plus</dd>" in html
    assert "<dd>Active</dd>" in html


def test_buying_a_plan_not_on_sale_or_before_renewal_opens_is_refused(
    client, member, plan
):
    plan_create("off", name="Retired", is_active=False)
    response = client.post(
        reverse("loyalty:plan_buy"), {"plan": "off", "gateway": "card"}, follow=True
    )
    assert "Select a valid choice." in response.content.decode()
    paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    response = client.post(
        reverse("loyalty:plan_buy"),
        {"plan": "plus", "gateway": "card"},
        follow=True,
        **EN,
    )
    assert "Renewal opens on" in response.content.decode()
    assert Purchase.objects.filter(status="pending").count() == 0


def test_cancel_asks_once_without_pleading_then_cancels(client, member, plan):
    paid = paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    confirm = client.get(reverse("loyalty:plan_cancel"), **EN)
    html = confirm.content.decode()
    assert "Nothing more will be charged." in html
    assert button_class(html, "Cancel membership") == "button"
    for pleading in ("Are you sure", "miss", "lose", "sad"):
        assert pleading not in html

    response = client.post(reverse("loyalty:plan_cancel"), follow=True, **EN)
    html = response.content.decode()
    paid.refresh_from_db()
    assert paid.status == PaidMembershipStatus.CANCELLED
    assert "Your membership is cancelled. Its benefits hold through" in html
    assert "You cancelled your membership." in html


def test_refund_confirms_then_refunds(client, member, plan):
    paid = paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    url = reverse("loyalty:plan_refund", args=[paid.pk])
    confirm = client.get(url, **EN)
    assert "goes back to the way you paid" in confirm.content.decode()

    response = client.post(url, follow=True, **EN)
    paid.refresh_from_db()
    assert paid.status == PaidMembershipStatus.REFUNDED
    assert "Your membership was refunded; its benefits have ended." in (
        response.content.decode()
    )
    # The one-time refund is used: a second asks nothing and changes nothing.
    again = client.post(url, follow=True, **EN)
    assert "This paid membership has already been refunded." in (again.content.decode())


def test_another_members_period_is_not_found(client, member, plan):
    other = paid_member_create(user=member_create(), plan=plan, paid_at=timezone.now())
    response = client.post(reverse("loyalty:plan_refund", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == PaidMembershipStatus.ACTIVE


def test_the_plans_page_reads_a_fixed_number_of_queries(client, member, plan):
    def periods(count):
        start = timezone.now() - timedelta(days=400)
        for index in range(count):
            paid = paid_member_create(
                user=member, plan=plan, paid_at=start + timedelta(days=index * 35)
            )
            if index % 2:
                paid_membership_cancel(paid_membership=paid, now=paid.starts_at)
        PaidMembership.objects.filter(user=member).update(
            status=PaidMembershipStatus.LAPSED
        )
        paid_member_create(user=member, plan=plan, paid_at=timezone.now())

    plan_create("year", name="Plus yearly", period="year", price="1990")
    periods(3)
    page(client)  # warm the caches (programme, tiers, plans)
    with CaptureQueriesContext(connection) as few:
        page(client)
    PaidMembership.objects.filter(user=member).delete()
    Purchase.objects.filter(user=member).delete()
    periods(6)
    page(client)
    with CaptureQueriesContext(connection) as more:
        page(client)
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]


def test_the_membership_page_shows_the_paid_badge(client, member, plan):
    url = reverse("loyalty:membership")
    assert "loyalty-paid" not in client.get(url, **EN).content.decode()
    paid_member_create(user=member, plan=plan, paid_at=timezone.now())
    html = client.get(url, **EN).content.decode()
    assert (
        '<p class="loyalty-paid"><span class="badge">Plus</span> '
        '<a href="/account/plans/">Paid membership</a></p>'
    ) in html
