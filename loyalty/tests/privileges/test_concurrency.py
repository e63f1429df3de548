"""Birthday gifts and member-day reminders from two workers at once (PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest

from loyalty.credit.services import credit_reconcile
from loyalty.models import BirthdayGift, CreditEntry, MemberDayReminder, Membership
from loyalty.privileges.birthday import birthday_gifts_issue
from loyalty.privileges.reminders import member_day_reminders_send
from loyalty.tests.points_support import member, programme_set
from loyalty.tests.privileges.birthday_support import birthday_member
from shop.core.tests.concurrency import run_together

pytestmark = pytest.mark.postgres


def test_two_runs_at_once_give_each_gift_once(on_postgres, transactional_db, clock):
    users = [birthday_member(date(1990, 3, 15)) for _ in range(3)]
    now = clock.set("2027-03-01 00:05")

    outcomes = run_together(*[lambda: birthday_gifts_issue(now=now) for _ in range(2)])

    # Whichever run reaches a member first gives the gift; the other skips it.
    assert all(isinstance(given, int) for given in outcomes), outcomes
    assert sum(outcomes) == 3
    assert BirthdayGift.objects.count() == 3
    assert CreditEntry.objects.count() == 3
    assert (
        list(
            Membership.objects.filter(user__in=users).values_list(
                "credit_balance", flat=True
            )
        )
        == [Decimal("300")] * 3
    )
    assert credit_reconcile() == []


def test_two_reminder_runs_at_once_remind_each_member_once(
    on_postgres, transactional_db, clock
):
    for _ in range(3):
        member(accepts_email_marketing=True)
    programme_set(member_day_dates="8")
    now = clock.set("2027-03-07 10:00")

    outcomes = run_together(
        *[lambda: member_day_reminders_send(now=now) for _ in range(2)]
    )

    assert all(isinstance(sent, int) for sent in outcomes), outcomes
    assert sum(outcomes) == 3
    assert MemberDayReminder.objects.count() == 3
