"""The points beat tasks, their schedule, and the reconcile_points command."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loyalty.models import Membership, PointsEntry
from loyalty.services import points
from loyalty.tasks.points import (
    expire_due_points,
    release_due_points,
    send_points_expiry_reminders,
)
from loyalty.tests.points_support import (
    assert_consistent,
    balances,
    clock_install,
    deliver,
    member,
    member_order,
    pay,
    programme_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return clock_install(monkeypatch)


def test_the_tasks_are_scheduled(settings):
    scheduled = {
        entry["task"]: entry["schedule"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    expire = scheduled["loyalty.tasks.points.expire_due_points"]
    # Just after the store's midnight, the instant lots expire.
    assert (expire.hour, expire.minute) == ({0}, {5})
    assert "loyalty.tasks.points.release_due_points" in scheduled
    assert "loyalty.tasks.points.send_points_expiry_reminders" in scheduled
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
    # Points pay before shopping credit, which pays what is left.
    assert settings.CHECKOUT_ADJUSTERS[-2:] == [
        "loyalty.adjusters.PointsRedemptionAdjuster",
        "loyalty.credit.adjusters.CreditAdjuster",
    ]


def test_the_release_task_run_twice_writes_one_row_per_lot(clock):
    user = member()
    order = pay(member_order(user))
    clock.set("2027-01-20 12:00")
    deliver(order)
    clock.set("2027-01-27 12:00")

    assert release_due_points.delay().get() == 30
    assert release_due_points.delay().get() == 0

    assert PointsEntry.objects.filter(kind="release").count() == 2
    assert balances(user) == (30, 0)
    assert_consistent()


def test_the_expiry_task_run_twice_writes_one_row_per_lot(clock):
    programme_set(expiry_months=1)
    user = member()
    clock.set("2026-12-05 12:00")
    points.points_adjust(user=user, points=100, reason="Gift", actor=None)
    clock.set("2027-02-01 00:05")

    assert expire_due_points.apply().get() == 100
    assert expire_due_points.apply().get() == 0

    assert PointsEntry.objects.filter(kind="expire").count() == 1
    assert balances(user) == (0, 0)
    assert_consistent()


def test_the_reminder_task_sends_once(clock, django_capture_on_commit_callbacks):
    from django.core import mail

    programme_set(expiry_months=1)
    user = member()
    clock.set("2026-12-05 12:00")
    points.points_adjust(user=user, points=100, reason="Gift", actor=None)
    clock.set("2027-01-10 10:00")

    with django_capture_on_commit_callbacks(execute=True):
        assert send_points_expiry_reminders.delay().get() == 1
        assert send_points_expiry_reminders.delay().get() == 0
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert set(user.membership.points_lots.values_list("reminded_on", flat=True)) == {
        date(2027, 1, 10)
    }


def test_reconcile_reports_zero_differences(clock):
    user = member()
    pay(member_order(user))
    points.points_adjust(user=user, points=10, reason="Gift", actor=None)
    out = StringIO()
    call_command("reconcile_points", stdout=out)
    assert out.getvalue() == "0 differences\n"


@pytest.mark.ledger_left_inconsistent
def test_reconcile_names_each_difference_and_fails():
    user = member()
    points.points_adjust(user=user, points=10, reason="Gift", actor=None)
    membership = Membership.objects.get(user=user)
    Membership.objects.filter(pk=membership.pk).update(
        points_available=12, points_pending=3
    )
    assert points.points_reconcile() == [(membership.pk, 12, 10, 3, 0)]
    assert points.points_lot_differences() == [(membership.pk, 12, 10, 3, 0)]

    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("reconcile_points", stdout=out)
    assert str(raised.value) == (
        "2 differences: 1 against the ledger, 1 against the lots."
    )
    assert out.getvalue().splitlines() == [
        f"member {membership.pk}: available 12, ledger 10; pending 3, ledger 0",
        f"member {membership.pk}: available 12, on lots 10; pending 3, on lots 0",
    ]
