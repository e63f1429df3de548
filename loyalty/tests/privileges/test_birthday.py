"""Birthday gifts (生日禮金): once a year, at the shop's midnight, by the tier."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from loyalty.credit.services import credit_reconcile
from loyalty.dates import store_midnight
from loyalty.models import (
    BirthdayGift,
    Coupon,
    CouponKind,
    CreditEntry,
    CreditLot,
    MemberCoupon,
    Membership,
)
from loyalty.privileges import birthday as birthday_service
from loyalty.privileges.birthday import birthday_gift_day, birthday_gifts_issue
from loyalty.tasks.privileges import issue_birthday_gifts
from loyalty.tests.points_support import programme_set, taipei, utc
from loyalty.tests.privileges.birthday_support import birthday_member
from loyalty.tests.privileges.conftest import tier_set

pytestmark = pytest.mark.django_db

MARCH = date(1990, 3, 15)


def issue(clock, when: str) -> int:
    return birthday_gifts_issue(now=clock.set(when))


def credit_of(user) -> Decimal:
    return Membership.objects.get(user=user).credit_balance


def test_the_gift_is_given_once_however_often_the_task_runs(
    clock, django_capture_on_commit_callbacks
):
    user = birthday_member(MARCH, email="mei@example.com", name="林小美")

    with django_capture_on_commit_callbacks(execute=True):
        assert issue(clock, "2027-03-01 00:05") == 1
        assert issue(clock, "2027-03-01 01:05") == 0
        assert issue(clock, "2027-03-01 23:05") == 0

    gift = BirthdayGift.objects.get()
    assert (gift.user, gift.year, gift.tier_code, gift.amount) == (
        user,
        2027,
        "gold",
        Decimal("300"),
    )
    entry = CreditEntry.objects.get()
    assert gift.credit_entry == entry
    assert (entry.amount, entry.idempotency_key, entry.reason) == (
        Decimal("300"),
        f"birthday:{user.pk}:2027",
        "Birthday gift 2027",
    )
    # In the wallet at once, for 30 days from the gift day (1–30 March).
    assert credit_of(user) == Decimal("300")
    lot = CreditLot.objects.get()
    assert (lot.source, lot.expires_at) == ("birthday", taipei("2027-03-31 00:00"))
    assert credit_reconcile() == []
    [message] = mail.outbox
    assert message.to == ["mei@example.com"]
    assert message.subject == "[Hinoki Living] Happy birthday: a gift from us"
    assert "Your birthday gift of NT$300 in shopping credit is in your wallet." in (
        message.body
    )
    assert "Use it at checkout by March 30, 2027." in message.body
    assert "Dear 林小美," in message.body
    html = message.alternatives[0][0]
    assert "Your birthday gift of NT$300 in shopping credit is in your wallet." in html


def test_the_month_starts_at_midnight_in_taipei_not_utc(clock):
    birthday_member(MARCH)

    # 23:55 on 28 February in Taipei: still February there.
    assert issue(clock, "2027-02-28 23:55") == 0
    # 00:05 on 1 March in Taipei is 16:05 on 28 February in UTC: March has begun.
    assert clock.set("2027-03-01 00:05") == utc("2027-02-28 16:05")
    assert issue(clock, "2027-03-01 00:05") == 1
    assert BirthdayGift.objects.get().issued_at == utc("2027-02-28 16:05")


def test_the_hourly_task_gives_it_within_the_first_hour(clock):
    user = birthday_member(MARCH)
    clock.set("2027-02-28 23:02")
    assert issue_birthday_gifts() == 0

    clock.set("2027-03-01 00:02")
    assert issue_birthday_gifts() == 1
    assert credit_of(user) == Decimal("300")


def test_a_late_run_catches_up_within_the_birthday_month(clock):
    user = birthday_member(MARCH)

    assert issue(clock, "2027-03-20 10:00") == 1

    # Valid from the gift day, not from the late run.
    assert CreditLot.objects.get().expires_at == taipei("2027-03-31 00:00")
    assert issue(clock, "2027-04-01 00:05") == 0
    assert credit_of(user) == Decimal("300")


def test_a_gift_whose_validity_is_over_is_not_given_late(clock):
    programme_set(birthday_gift_valid_days=7)
    birthday_member(MARCH)

    assert issue(clock, "2027-03-08 00:05") == 0
    assert BirthdayGift.objects.count() == 0


def test_other_months_and_other_years(clock):
    user = birthday_member(MARCH)
    assert issue(clock, "2027-02-15 10:00") == 0
    assert issue(clock, "2027-04-01 10:00") == 0
    assert issue(clock, "2027-03-01 10:00") == 1

    assert issue(clock, "2028-03-01 00:05") == 1

    assert list(
        BirthdayGift.objects.filter(user=user).order_by("year").values_list("year")
    ) == [(2027,), (2028,)]
    assert credit_of(user) == Decimal("600")


def test_on_the_birthday_itself_when_set_so(clock):
    programme_set(birthday_gift_day="birthday")
    birthday_member(MARCH)

    assert issue(clock, "2027-03-01 00:05") == 0
    assert issue(clock, "2027-03-14 23:55") == 0
    assert issue(clock, "2027-03-15 00:05") == 1
    assert CreditLot.objects.get().expires_at == taipei("2027-04-14 00:00")


def test_a_29_february_birthday_is_celebrated_on_the_28th_in_other_years(clock):
    programme_set(birthday_gift_day="birthday")
    leapling = birthday_member(date(2000, 2, 29))

    assert issue(clock, "2027-02-27 23:55") == 0
    assert issue(clock, "2027-02-28 00:05") == 1
    # In a leap year, on the day itself.
    assert issue(clock, "2028-02-28 12:00") == 0
    assert issue(clock, "2028-02-29 00:05") == 1
    assert BirthdayGift.objects.filter(user=leapling).count() == 2


def test_the_gift_day_rule():
    assert birthday_gift_day(
        birthday=date(2000, 2, 29), year=2027, rule="birthday"
    ) == date(2027, 2, 28)
    assert birthday_gift_day(
        birthday=date(2000, 2, 29), year=2028, rule="birthday"
    ) == date(2028, 2, 29)
    assert birthday_gift_day(
        birthday=date(2000, 2, 29), year=2027, rule="month_start"
    ) == date(2027, 2, 1)


def test_a_birthday_changed_shortly_before_gets_no_gift_that_year(clock):
    # 180 days before 1 March 2027 is 2 September 2026.
    recent = birthday_member(MARCH, set_at="2026-12-20 10:00")
    after_the_day = birthday_member(MARCH, set_at="2027-03-05 10:00")
    settled = birthday_member(MARCH, set_at="2026-08-20 10:00")
    never_recorded = birthday_member(MARCH, set_at=None)

    assert issue(clock, "2027-03-10 10:00") == 2

    assert set(BirthdayGift.objects.values_list("user", flat=True)) == {
        settled.pk,
        never_recorded.pk,
    }
    # The lock is counted from each year's gift day: next year it is given.
    assert issue(clock, "2028-03-01 00:05") == 4
    assert BirthdayGift.objects.filter(user__in=[recent, after_the_day]).count() == 2


def test_a_new_account_gets_no_gift_in_its_first_birthday_month(clock):
    # 30 days before 1 March 2027 is 30 January.
    new = birthday_member(MARCH, joined="2027-02-10 10:00", set_at=None)
    older = birthday_member(MARCH, joined="2027-01-20 10:00", set_at=None)

    assert issue(clock, "2027-03-01 00:05") == 1

    assert list(BirthdayGift.objects.values_list("user", flat=True)) == [older.pk]
    assert credit_of(new) == Decimal("0")


def test_no_birthday_no_gift_tier_or_inactive_account_get_nothing(clock):
    birthday_member(None)
    birthday_member(MARCH, tier="member")  # the base tier gives no gift
    birthday_member(MARCH, is_active=False)

    assert issue(clock, "2027-03-01 00:05") == 0
    assert BirthdayGift.objects.count() == 0


def test_a_tier_with_a_coupon_gives_the_coupon_instead_of_credit(
    clock, django_capture_on_commit_callbacks
):
    coupon = Coupon.objects.create(
        name="生日 85 折",
        kind=CouponKind.PERCENT,
        value=Decimal("15"),
        valid_days=60,
    )
    tier_set("gold", birthday_coupon=coupon)
    user = birthday_member(MARCH)

    with django_capture_on_commit_callbacks(execute=True):
        assert issue(clock, "2027-03-01 00:05") == 1
        assert issue(clock, "2027-03-01 01:05") == 0

    voucher = MemberCoupon.objects.get()
    assert (voucher.user, voucher.coupon, voucher.issue_key, voucher.source) == (
        user,
        coupon,
        "birthday:2027",
        "birthday",
    )
    # The coupon's own 60 days are capped by the gift's 30.
    assert voucher.expires_at == store_midnight(date(2027, 3, 31))
    gift = BirthdayGift.objects.get()
    assert (gift.member_coupon, gift.credit_entry, gift.amount) == (
        voucher,
        None,
        Decimal("0"),
    )
    assert CreditEntry.objects.count() == 0
    [message] = mail.outbox
    assert "Your birthday gift, a “生日 85 折” coupon, is waiting in your wallet." in (
        message.body
    )


def test_a_coupon_that_cannot_be_issued_is_tried_again_next_run(clock):
    coupon = Coupon.objects.create(name="Off", kind=CouponKind.FIXED, is_active=False)
    tier_set("gold", birthday_coupon=coupon)
    birthday_member(MARCH)

    assert issue(clock, "2027-03-01 00:05") == 0
    assert BirthdayGift.objects.count() == 0

    Coupon.objects.filter(pk=coupon.pk).update(is_active=True)
    assert issue(clock, "2027-03-01 01:05") == 1


def test_many_members_are_given_batch_by_batch(clock, monkeypatch):
    monkeypatch.setattr(birthday_service, "BATCH_SIZE", 2)
    users = [birthday_member(MARCH) for _ in range(5)]
    birthday_member(MARCH, set_at="2027-02-01 10:00")  # refused, in a batch

    assert issue(clock, "2027-03-01 00:05") == 5

    assert set(BirthdayGift.objects.values_list("user", flat=True)) == {
        u.pk for u in users
    }
    assert issue(clock, "2027-03-01 01:05") == 0
