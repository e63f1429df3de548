"""Lots and their expiry: the rule, the sweep at the store's midnight, reminders."""

from datetime import date

import pytest
from django.core import mail

from loyalty.models import LoyaltyProgramme, PointsEntry, PointsLot
from loyalty.services import points
from loyalty.services.points import last_valid_day, lot_expiry
from loyalty.tests.points_support import (
    assert_consistent,
    balances,
    clock_install,
    deliver,
    entries_of,
    lots_of,
    member,
    member_order,
    pay,
    programme_set,
    taipei,
    utc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return clock_install(monkeypatch)


def rule(**fields) -> LoyaltyProgramme:
    return LoyaltyProgramme(**fields)


@pytest.mark.parametrize(
    ("earned", "months", "expected"),
    [
        ("2027-01-15 10:00", 12, "2028-02-01 00:00"),
        ("2027-01-01 00:00", 12, "2028-02-01 00:00"),
        ("2027-01-31 23:59", 12, "2028-02-01 00:00"),
        ("2027-02-01 00:00", 12, "2028-03-01 00:00"),
        ("2026-12-05 12:00", 1, "2027-02-01 00:00"),
        ("2027-11-30 08:00", 1, "2028-01-01 00:00"),
        ("2027-03-10 08:00", 24, "2029-04-01 00:00"),
    ],
)
def test_end_of_month_expiry_is_the_store_midnight_after_the_month(
    earned, months, expected
):
    programme = rule(expiry_rule="end_of_month", expiry_months=months)
    assert lot_expiry(earned_at=taipei(earned), programme=programme) == taipei(expected)


def test_the_earning_month_is_the_store_s_not_utc_s():
    programme = rule(expiry_rule="end_of_month", expiry_months=12)
    # 2027-01-31 16:30 UTC is already 1 February in Taipei.
    assert lot_expiry(earned_at=utc("2027-01-31 16:30"), programme=programme) == taipei(
        "2028-03-01 00:00"
    )
    assert lot_expiry(earned_at=utc("2027-01-31 15:59"), programme=programme) == taipei(
        "2028-02-01 00:00"
    )


@pytest.mark.parametrize(
    ("earned", "month", "day", "expected"),
    [
        ("2027-06-01 10:00", 12, 31, "2028-01-01 00:00"),
        ("2027-12-30 10:00", 12, 31, "2028-01-01 00:00"),
        # On the day itself the next year's is the next occurrence.
        ("2027-12-31 10:00", 12, 31, "2029-01-01 00:00"),
        # 31 February: the last day of February, leap years too.
        ("2027-01-10 10:00", 2, 31, "2027-03-01 00:00"),
        ("2027-03-01 10:00", 2, 31, "2028-03-01 00:00"),
        ("2027-03-01 10:00", 4, 31, "2027-05-01 00:00"),
    ],
)
def test_fixed_date_expiry_is_the_next_such_day(earned, month, day, expected):
    programme = rule(expiry_rule="fixed_date", expiry_month=month, expiry_day=day)
    assert lot_expiry(earned_at=taipei(earned), programme=programme) == taipei(expected)


def test_points_may_never_expire():
    programme = rule(expiry_rule="never")
    assert lot_expiry(earned_at=taipei("2027-01-15 10:00"), programme=programme) is None


def test_last_valid_day_is_the_day_before_the_midnight():
    assert last_valid_day(taipei("2027-02-01 00:00")) == date(2027, 1, 31)


def test_a_lot_expires_at_the_store_s_midnight(clock):
    programme_set(expiry_months=1)
    user = member()
    clock.set("2026-12-05 12:00")
    entry = points.points_adjust(user=user, points=100, reason="Welcome", actor=None)
    assert entry.lot.expires_at == taipei("2027-02-01 00:00")

    # 2027-02-01 00:00 in Taipei is 2027-01-31 16:00 UTC.
    assert points.points_expire_due(now=utc("2027-01-31 15:59")) == 0
    assert balances(user) == (100, 0)
    assert lots_of(user) == [("available", 100, 100)]

    assert points.points_expire_due(now=utc("2027-01-31 16:00")) == 100
    assert balances(user) == (0, 0)
    assert lots_of(user) == [("expired", 100, 0)]
    expired = PointsEntry.objects.get(kind="expire")
    assert (expired.points, expired.pending_points, expired.lot_id) == (
        -100,
        0,
        entry.lot_id,
    )
    assert expired.idempotency_key == f"expire:lot:{entry.lot_id}"
    assert expired.reason == "Points expired"
    assert expired.created_at == utc("2027-01-31 16:00")

    assert points.points_expire_due(now=utc("2027-02-02 00:00")) == 0
    assert PointsEntry.objects.filter(kind="expire").count() == 1
    assert_consistent()


def test_only_what_is_left_on_a_lot_expires(clock):
    programme_set(expiry_months=1)
    user = member()
    clock.set("2026-12-05 12:00")
    points.points_adjust(user=user, points=100, reason="Welcome", actor=None)
    points.points_adjust(user=user, points=-30, reason="Correction", actor=None)
    clock.set("2027-01-10 12:00")
    points.points_adjust(user=user, points=40, reason="Survey", actor=None)

    assert points.points_expire_due(now=taipei("2027-02-01 00:00")) == 70
    assert balances(user) == (40, 0)
    assert lots_of(user) == [("expired", 100, 0), ("available", 40, 40)]
    assert_consistent()


def test_the_sweep_handles_many_members_in_batches(clock, monkeypatch):
    from loyalty.services.points import batches

    monkeypatch.setattr(batches, "BATCH_SIZE", 2)
    monkeypatch.setattr(batches, "ROUND_SIZE", 3)
    programme_set(expiry_months=1)
    clock.set("2026-12-05 12:00")
    users = [member() for _ in range(4)]
    for number, user in enumerate(users, start=1):
        points.points_adjust(user=user, points=10 * number, reason="Gift", actor=None)
        points.points_adjust(user=user, points=number, reason="Gift", actor=None)

    assert points.points_expire_due(now=taipei("2027-02-01 00:00")) == 110
    assert [balances(user) for user in users] == [(0, 0)] * 4
    assert PointsEntry.objects.filter(kind="expire").count() == 8
    assert_consistent()


def test_pending_points_do_not_expire_before_they_are_released(clock):
    programme_set(expiry_months=1)
    user = member()
    clock.set("2026-12-05 12:00")
    order = pay(member_order(user))  # 30 points, expiring 2027-02-01 00:00
    clock.set("2027-01-28 12:00")
    deliver(order)  # available from 2027-02-04 12:00

    assert points.points_expire_due(now=taipei("2027-02-01 00:00")) == 0
    assert balances(user) == (0, 30)

    # Released after their expiry: they go in the next sweep.
    assert points.points_release_due(now=taipei("2027-02-04 12:00")) == 30
    assert balances(user) == (30, 0)
    assert points.points_expire_due(now=taipei("2027-02-05 00:00")) == 30
    assert balances(user) == (0, 0)
    assert entries_of(user) == [
        ("earn", 0, 26),
        ("earn", 0, 4),
        ("release", 26, -26),
        ("release", 4, -4),
        ("expire", -26, 0),
        ("expire", -4, 0),
    ]
    assert_consistent()


def test_released_points_keep_the_rest_of_their_validity(clock):
    user = member()
    order = pay(member_order(user))  # expiring 2028-02-01
    clock.set("2027-01-20 12:00")
    deliver(order)
    points.points_release_due(now=taipei("2027-01-27 12:00"))
    assert set(PointsLot.objects.values_list("expires_at", flat=True)) == {
        taipei("2028-02-01 00:00")
    }
    assert points.points_expire_due(now=taipei("2028-01-31 23:59")) == 0
    assert points.points_expire_due(now=taipei("2028-02-01 00:00")) == 30


def test_reminders_go_once_per_member_with_points_and_date(
    clock, django_capture_on_commit_callbacks
):
    programme_set(expiry_months=1, expiry_reminder_days=30)
    first, second, later = member(name="Amy"), member(name="Bo"), member(name="Cy")
    clock.set("2026-12-05 12:00")  # expiring 2027-02-01 00:00: last day 31 January
    for user, amount in ((first, 120), (first, 30), (second, 45)):
        points.points_adjust(user=user, points=amount, reason="Gift", actor=None)
    clock.set("2027-01-05 12:00")  # expiring 2027-03-01 00:00
    points.points_adjust(user=later, points=80, reason="Gift", actor=None)
    points.points_adjust(user=first, points=10, reason="Gift", actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        # Within 30 days of 2 January: up to the end of 1 February.
        sent = points.points_expiry_reminders_send(today=date(2027, 1, 2))

    assert sent == 2
    assert sorted(
        (m.to[0], m.subject.split("] ", 1)[1]) for m in mail.outbox
    ) == sorted(
        [
            (first.email, "Your points expire on Jan. 31, 2027"),
            (second.email, "Your points expire on Jan. 31, 2027"),
        ]
    )
    body = next(m.body for m in mail.outbox if m.to == [first.email])
    assert "150 points expire on Jan. 31, 2027." in body
    assert set(
        PointsLot.objects.filter(reminded_on__isnull=False).values_list(
            "membership__user__name", "remaining", "reminded_on"
        )
    ) == {
        ("Amy", 120, date(2027, 1, 2)),
        ("Amy", 30, date(2027, 1, 2)),
        ("Bo", 45, date(2027, 1, 2)),
    }

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert points.points_expiry_reminders_send(today=date(2027, 1, 3)) == 0
    assert mail.outbox == []

    # A month on, the lots expiring on 1 March are due.
    with django_capture_on_commit_callbacks(execute=True):
        assert points.points_expiry_reminders_send(today=date(2027, 2, 1)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, later.email])
    assert PointsEntry.objects.exclude(kind="adjust").count() == 0


def test_reminders_give_the_email_its_context(clock, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "loyalty.notifications.member_emails_send_later",
        lambda *, kind, items: sent.append((kind, items)),
    )
    programme_set(expiry_months=1, expiry_reminder_days=40)
    user = member()
    clock.set("2026-12-05 12:00")
    points.points_adjust(user=user, points=100, reason="Gift", actor=None)
    clock.set("2027-01-05 12:00")
    points.points_adjust(user=user, points=25, reason="Gift", actor=None)

    assert points.points_expiry_reminders_send(today=date(2027, 1, 25)) == 1
    assert sent == [
        (
            "points_expiring",
            [
                (
                    user.pk,
                    {
                        "points": 125,
                        "expires_on": "2027-01-31",
                        "points_available": 125,
                        "expiring": [
                            {"date": "2027-01-31", "points": 100},
                            {"date": "2027-02-28", "points": 25},
                        ],
                    },
                )
            ],
        )
    ]


def test_no_reminder_for_spent_expired_or_never_expiring_points(clock):
    programme_set(expiry_months=1)
    user = member()
    clock.set("2026-12-05 12:00")
    points.points_adjust(user=user, points=50, reason="Gift", actor=None)
    points.points_adjust(user=user, points=-50, reason="Spent", actor=None)
    programme_set(expiry_rule="never")
    points.points_adjust(user=user, points=70, reason="Gift", actor=None)
    assert points.points_expiry_reminders_send(today=date(2027, 1, 20)) == 0
