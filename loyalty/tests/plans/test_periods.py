"""Paid periods: activation, its idempotency, chaining on early renewal."""

from datetime import timedelta

import pytest
from django.core import mail

from loyalty.errors import PlanError
from loyalty.models import (
    PaidMembership,
    PaidMembershipStatus,
    PlanPeriod,
    PurchaseStatus,
)
from loyalty.plans.periods import period_end, period_last_day
from loyalty.plans.selectors import paid_membership_active
from loyalty.plans.services import paid_membership_activate
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import at, plan_create, purchase_paid

pytestmark = pytest.mark.django_db


def test_a_month_ends_at_the_shops_midnight_of_the_same_day_next_month():
    assert period_end(starts_at=at(2027, 3, 15, 14), period=PlanPeriod.MONTH) == at(
        2027, 4, 15
    )
    # 23:30 UTC on 14 March is already 15 March in Taipei.
    utc_evening = at(2027, 3, 15, 7, 30)
    assert period_end(starts_at=utc_evening, period="month") == at(2027, 4, 15)
    assert period_end(starts_at=at(2027, 1, 31, 9), period="month") == at(2027, 2, 28)
    assert period_end(starts_at=at(2028, 2, 29, 9), period="year") == at(2029, 2, 28)
    assert period_last_day(at(2027, 4, 15)).isoformat() == "2027-04-14"


def test_activation_starts_the_period_at_payment_and_mails_a_receipt(
    django_capture_on_commit_callbacks,
):
    user = member_create(email="amy@example.com", name="Amy")
    plan = plan_create()
    purchase = purchase_paid(user=user, plan=plan, paid_at=at(2027, 3, 15, 14))

    with django_capture_on_commit_callbacks(execute=True):
        paid = paid_membership_activate(purchase=purchase)

    assert (paid.user, paid.plan, paid.status) == (
        user,
        plan,
        PaidMembershipStatus.ACTIVE,
    )
    assert (paid.starts_at, paid.ends_at) == (at(2027, 3, 15, 14), at(2027, 4, 15))
    [message] = mail.outbox
    assert message.subject == "[Hinoki Living] Your Plus membership receipt"
    assert "Receipt number: " + purchase.number in message.body
    assert "Amount paid: NT$199" in message.body
    assert "Your benefits hold from March 15, 2027 through April 14, 2027." in (
        message.body
    )


def test_activation_is_idempotent_per_purchase(django_capture_on_commit_callbacks):
    user = member_create()
    purchase = purchase_paid(user=user, plan=plan_create(), paid_at=at(2027, 3, 15, 14))

    with django_capture_on_commit_callbacks(execute=True):
        first = paid_membership_activate(purchase=purchase)
        again = paid_membership_activate(purchase=purchase)

    assert again.pk == first.pk
    assert PaidMembership.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_early_renewal_starts_when_the_current_period_ends():
    user = member_create()
    monthly = plan_create()
    yearly = plan_create("plus-year", period=PlanPeriod.YEAR, price="1990")
    first = paid_membership_activate(
        purchase=purchase_paid(user=user, plan=monthly, paid_at=at(2027, 3, 15, 14))
    )
    renewal = paid_membership_activate(
        purchase=purchase_paid(user=user, plan=yearly, paid_at=at(2027, 4, 10, 9))
    )

    assert (renewal.starts_at, renewal.ends_at) == (at(2027, 4, 15), at(2028, 4, 15))
    # Benefits flow from one period into the next without a gap.
    assert paid_membership_active(user, now=at(2027, 4, 14, 23, 59)) == first
    assert paid_membership_active(user, now=at(2027, 4, 15)) == renewal
    # A cancelled period is still chained after: it holds benefits to its end.
    PaidMembership.objects.filter(pk=renewal.pk).update(
        status=PaidMembershipStatus.CANCELLED
    )
    third = paid_membership_activate(
        purchase=purchase_paid(user=user, plan=monthly, paid_at=at(2027, 5, 1, 9))
    )
    assert third.starts_at == at(2028, 4, 15)


def test_a_renewal_after_the_end_starts_at_its_payment():
    user = member_create()
    plan = plan_create()
    paid_membership_activate(
        purchase=purchase_paid(user=user, plan=plan, paid_at=at(2027, 3, 15, 14))
    )
    later = paid_membership_activate(
        purchase=purchase_paid(user=user, plan=plan, paid_at=at(2027, 6, 2, 10))
    )
    assert (later.starts_at, later.ends_at) == (at(2027, 6, 2, 10), at(2027, 7, 2))


def test_unpaid_or_other_purchases_are_refused():
    user = member_create()
    purchase = purchase_paid(user=user, plan=plan_create(), paid_at=at(2027, 3, 15))
    purchase.status = PurchaseStatus.PENDING
    purchase.save()
    with pytest.raises(PlanError) as refused:
        paid_membership_activate(purchase=purchase)
    assert refused.value.message == "This purchase has not been paid."
    purchase.status = PurchaseStatus.PAID
    purchase.kind = "topup"
    with pytest.raises(PlanError) as refused:
        paid_membership_activate(purchase=purchase)
    assert refused.value.message == "This purchase is not a paid membership."
    assert not PaidMembership.objects.exists()


def test_the_period_is_active_only_between_its_start_and_end():
    user = member_create()
    paid = paid_membership_activate(
        purchase=purchase_paid(
            user=user, plan=plan_create(), paid_at=at(2027, 3, 15, 14)
        )
    )
    assert paid_membership_active(user, now=at(2027, 3, 15, 13)) is None
    assert paid_membership_active(user, now=at(2027, 3, 15, 14)) == paid
    assert paid_membership_active(user, now=paid.ends_at - timedelta(seconds=1)) == paid
    assert paid_membership_active(user, now=paid.ends_at) is None
