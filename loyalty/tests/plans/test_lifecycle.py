"""Cancel at period end, lapse, renewal reminders and the one-time refund."""

from datetime import timedelta

import pytest
from django.core import mail

from loyalty.errors import PlanError
from loyalty.models import LoyaltyProgramme, PaidMembership, PaidMembershipStatus
from loyalty.plans.selectors import paid_membership_active
from loyalty.plans.services import (
    paid_membership_cancel,
    paid_membership_refund,
    paid_membership_reminders_send,
    paid_memberships_lapse,
)
from loyalty.selectors.programme import programme_cache_clear
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import at, paid_member_create, plan_create

pytestmark = pytest.mark.django_db

PAID_AT = at(2027, 3, 15, 14)
ENDS_AT = at(2027, 4, 15)


@pytest.fixture
def member():
    return member_create(email="amy@example.com", name="Amy")


@pytest.fixture
def paid(member):
    return paid_member_create(user=member, plan=plan_create(), paid_at=PAID_AT)


def programme_set(**values):
    LoyaltyProgramme.objects.update_or_create(pk=1, defaults=values)
    programme_cache_clear()


def test_cancel_keeps_the_benefits_to_the_end_and_confirms_by_email(
    member, paid, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = paid_membership_cancel(
            paid_membership=paid, actor=member, now=at(2027, 3, 20, 10)
        )

    assert cancelled.status == PaidMembershipStatus.CANCELLED
    assert cancelled.cancelled_at == at(2027, 3, 20, 10)
    assert cancelled.ends_at == ENDS_AT
    assert paid_membership_active(member, now=at(2027, 4, 14, 23)) == paid
    [message] = mail.outbox
    assert message.subject == "[Hinoki Living] Your Plus membership is cancelled"
    assert (
        "Your benefits hold through April 14, 2027, and then it ends. Nothing more "
        "will be charged." in message.body
    )
    # Again: nothing changes, no second email.
    with django_capture_on_commit_callbacks(execute=True):
        again = paid_membership_cancel(paid_membership=paid, now=at(2027, 3, 21))
    assert again.cancelled_at == at(2027, 3, 20, 10)
    assert len(mail.outbox) == 1


def test_an_ended_period_cannot_be_cancelled(paid):
    with pytest.raises(PlanError) as refused:
        paid_membership_cancel(paid_membership=paid, now=ENDS_AT)
    assert refused.value.message == "This paid membership has already ended."


def test_lapse_ends_active_and_cancelled_periods_once_and_mails_the_member(
    member, paid, django_capture_on_commit_callbacks
):
    other = paid_member_create(
        user=member_create(), plan=plan_create("plus-2", name="Plus 2"), paid_at=PAID_AT
    )
    paid_membership_cancel(paid_membership=other, now=at(2027, 3, 16))
    mail.outbox.clear()

    assert paid_memberships_lapse(now=ENDS_AT - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert paid_memberships_lapse(now=ENDS_AT) == 2
        assert paid_memberships_lapse(now=ENDS_AT) == 0

    statuses = set(PaidMembership.objects.values_list("status", flat=True))
    assert statuses == {PaidMembershipStatus.LAPSED}
    assert sorted(m.subject for m in mail.outbox) == [
        "[Hinoki Living] Your Plus 2 membership has ended",
        "[Hinoki Living] Your Plus membership has ended",
    ]
    amy = next(m for m in mail.outbox if m.to == ["amy@example.com"])
    assert (
        "Your Plus membership ended after April 14, 2027, and its benefits no "
        "longer apply." in amy.body
    )


def test_a_renewed_member_is_not_told_the_membership_ended(
    member, paid, django_capture_on_commit_callbacks
):
    paid_member_create(user=member, plan=paid.plan, paid_at=at(2027, 4, 10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert paid_memberships_lapse(now=ENDS_AT) == 1
    assert mail.outbox == []
    assert paid_membership_active(member, now=ENDS_AT).starts_at == ENDS_AT


def test_reminders_go_once_to_active_unrenewed_periods_ending_soon(
    member, paid, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://shop.example"
    programme_set(paid_membership_reminder_days=7)
    renewed_user = member_create()
    renewed = paid_member_create(user=renewed_user, plan=paid.plan, paid_at=PAID_AT)
    paid_member_create(user=renewed_user, plan=paid.plan, paid_at=at(2027, 4, 1))
    cancelled = paid_member_create(
        user=member_create(), plan=paid.plan, paid_at=PAID_AT
    )
    paid_membership_cancel(paid_membership=cancelled, now=at(2027, 3, 16))
    mail.outbox.clear()

    # 8 days before the end: too early.
    assert paid_membership_reminders_send(now=ENDS_AT - timedelta(days=8)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert paid_membership_reminders_send(now=ENDS_AT - timedelta(days=7)) == 1
        assert paid_membership_reminders_send(now=ENDS_AT - timedelta(days=2)) == 0

    [message] = mail.outbox
    assert message.to == ["amy@example.com"]
    assert (
        message.subject == "[Hinoki Living] Your Plus membership ends on April 14, 2027"
    )
    assert "Renew: https://shop.example/account/plans/" in message.body
    paid.refresh_from_db()
    renewed.refresh_from_db()
    assert paid.reminded_at == ENDS_AT - timedelta(days=7)
    assert renewed.reminded_at is None


def test_no_reminders_when_the_setting_is_zero(paid):
    programme_set(paid_membership_reminder_days=0)
    assert paid_membership_reminders_send(now=ENDS_AT - timedelta(hours=1)) == 0


def test_an_unused_period_is_refunded_in_full_within_the_window(
    member, paid, django_capture_on_commit_callbacks
):
    programme_set(paid_membership_refund_days=7)
    mail.outbox.clear()
    # Bought on 15 March: day 7 is 22 March, the window closes at its midnight.
    now = at(2027, 3, 22, 23, 59)
    with django_capture_on_commit_callbacks(execute=True):
        refunded = paid_membership_refund(paid_membership=paid, actor=member, now=now)

    assert refunded.status == PaidMembershipStatus.REFUNDED
    assert refunded.ends_at == now
    assert paid_membership_active(member, now=now) is None
    purchase = refunded.purchase
    purchase.refresh_from_db()
    assert (purchase.status, purchase.refunded_amount) == ("refunded", paid.plan.price)
    [message] = mail.outbox
    assert message.subject == "[Hinoki Living] Your Plus membership was refunded"
    assert (
        f"Your Plus membership ({purchase.number}) was refunded: NT$199 goes back "
        "to the way you paid." in message.body
    )


def test_no_refund_after_the_window(paid):
    programme_set(paid_membership_refund_days=7)
    with pytest.raises(PlanError) as refused:
        paid_membership_refund(paid_membership=paid, now=at(2027, 3, 23))
    assert refused.value.message == "The refund period ended on March 22, 2027."
    paid.refresh_from_db()
    assert paid.status == PaidMembershipStatus.ACTIVE


def test_no_refund_once_a_benefit_was_used(paid):
    PaidMembership.objects.filter(pk=paid.pk).update(benefit_used_at=at(2027, 3, 16, 9))
    paid.refresh_from_db()
    with pytest.raises(PlanError) as refused:
        paid_membership_refund(paid_membership=paid, now=at(2027, 3, 17))
    assert refused.value.message == (
        "Its benefits were used on March 16, 2027 (an order got the plan's "
        "discount, free shipping or tier prices), so it cannot be refunded."
    )


def test_the_refund_is_one_time_per_member(member, paid):
    paid_membership_refund(paid_membership=paid, now=at(2027, 3, 16))
    again = paid_member_create(user=member, plan=paid.plan, paid_at=at(2027, 3, 17))
    with pytest.raises(PlanError) as refused:
        paid_membership_refund(paid_membership=again, now=at(2027, 3, 18))
    assert refused.value.message == (
        "The refund is one-time and was already used on this account, so this "
        "membership cannot be refunded."
    )
    with pytest.raises(PlanError) as refused:
        paid_membership_refund(paid_membership=paid, now=at(2027, 3, 18))
    assert refused.value.message == "This paid membership has already been refunded."


def test_refunding_the_current_period_moves_the_renewal_up(member, paid):
    renewal = paid_member_create(user=member, plan=paid.plan, paid_at=at(2027, 3, 20))
    assert renewal.starts_at == ENDS_AT
    now = at(2027, 3, 21, 12)
    paid_membership_refund(paid_membership=paid, now=now)
    renewal.refresh_from_db()
    assert (renewal.starts_at, renewal.ends_at) == (now, at(2027, 4, 21))
    assert paid_membership_active(member, now=now) == renewal
