"""The member-day reminder: the day before, once, to members who opted in."""

import pytest
from django.core import mail

from loyalty.models import MemberDayReminder
from loyalty.privileges import reminders as reminders_service
from loyalty.privileges.reminders import member_day_reminders_send
from loyalty.tasks.privileges import send_member_day_reminders
from loyalty.tests.points_support import member, programme_set, set_tier
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(db, gold_benefits):
    programme_set(member_day_dates="8,18")


def send(clock, when: str) -> int:
    return member_day_reminders_send(now=clock.set(when))


def test_opted_in_members_are_reminded_once_the_day_before(
    clock, schedule, django_capture_on_commit_callbacks
):
    gold = member(email="gold@example.com", name="王金", accepts_email_marketing=True)
    set_tier(gold, "gold")
    member(email="quiet@example.com", accepts_email_marketing=False)
    member(email="gone@example.com", accepts_email_marketing=True, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert send(clock, "2027-03-07 10:00") == 1
        assert send(clock, "2027-03-07 10:30") == 0

    assert list(MemberDayReminder.objects.values_list("user", "member_day")) == [
        (gold.pk, clock.now.date().replace(day=8))
    ]
    [message] = mail.outbox
    assert message.to == ["gold@example.com"]
    assert message.subject == "[Hinoki Living] Tomorrow, March 8, is member day"
    assert "Tomorrow, March 8, 2027, is member day." in message.body
    assert (
        "As a Gold member you get an extra 5% off and 2× points on what you "
        "order that day."
    ) in message.body
    html = message.alternatives[0][0]
    assert "As a Gold member you get an extra 5% off and 2× points" in html
    assert "/account/profile/" in html


def test_nothing_when_tomorrow_is_not_a_member_day(clock, schedule):
    member(accepts_email_marketing=True)

    assert send(clock, "2027-03-08 10:00") == 0
    assert MemberDayReminder.objects.count() == 0


def test_nothing_when_reminders_are_off(clock, schedule):
    programme_set(member_day_reminders=False)
    member(accepts_email_marketing=True)

    assert send(clock, "2027-03-17 10:00") == 0


def test_a_forced_member_day_sends_no_reminder(clock, settings):
    programme_set(member_day_dates="")
    settings.LOYALTY_MEMBER_DAY_FORCE = True
    member(accepts_email_marketing=True)

    assert send(clock, "2027-03-07 10:00") == 0


def test_each_member_day_gets_its_own_reminder(clock, schedule):
    user = member(accepts_email_marketing=True)

    assert send(clock, "2027-03-07 10:00") == 1
    assert send(clock, "2027-03-17 10:00") == 1

    assert MemberDayReminder.objects.filter(user=user).count() == 2


def test_the_email_is_in_the_members_language(
    clock, schedule, django_capture_on_commit_callbacks
):
    user = member(name="陳小華", accepts_email_marketing=True)
    order_with_lines(user=user, language="zh-hant")

    with django_capture_on_commit_callbacks(execute=True):
        send(clock, "2027-03-07 10:00")

    [message] = mail.outbox
    assert "親愛的 陳小華 您好：" in message.body


def test_the_daily_task_reminds_in_batches(clock, schedule, monkeypatch):
    monkeypatch.setattr(reminders_service, "BATCH_SIZE", 2)
    for _ in range(5):
        member(accepts_email_marketing=True)

    clock.set("2027-03-17 10:00")
    assert send_member_day_reminders() == 5
    assert send_member_day_reminders() == 0
    assert MemberDayReminder.objects.count() == 5
