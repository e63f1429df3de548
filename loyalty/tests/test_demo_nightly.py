"""`manage.py loyalty_nightly`: which day, which cut-off, which jobs in which order."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from loyalty.credit import services as credit
from loyalty.plans import services as plans
from loyalty.privileges import birthday, reminders
from loyalty.services import points, schemes, tiers

TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.fixture
def jobs(monkeypatch, settings):
    """The eleven services replaced by recorders: (name, argument) in call order."""
    settings.TIME_ZONE = "Asia/Taipei"
    calls = []

    def recorder(name, result):
        def job(**kwargs):
            calls.append((name, kwargs))
            return result

        return job

    monkeypatch.setattr(
        schemes, "schemes_activate_due", recorder("schemes_activate_due", None)
    )
    monkeypatch.setattr(points, "points_release_due", recorder("release", 3))
    monkeypatch.setattr(points, "points_expire_due", recorder("expire", 2))
    monkeypatch.setattr(
        tiers, "tiers_renew_or_downgrade", recorder("renew_or_downgrade", 5)
    )
    monkeypatch.setattr(
        tiers, "tier_expiry_warnings_send", recorder("tier_warnings", 1)
    )
    monkeypatch.setattr(
        points, "points_expiry_reminders_send", recorder("points_reminders", 4)
    )
    monkeypatch.setattr(credit, "credit_expire_due", recorder("credit_expire", 6))
    monkeypatch.setattr(birthday, "birthday_gifts_issue", recorder("birthday", 7))
    monkeypatch.setattr(
        reminders, "member_day_reminders_send", recorder("member_day", 8)
    )
    monkeypatch.setattr(plans, "paid_memberships_lapse", recorder("lapse", 9))
    monkeypatch.setattr(
        plans, "paid_membership_reminders_send", recorder("plan_reminders", 10)
    )
    return calls


def nightly(*args):
    out = StringIO()
    call_command("loyalty_nightly", *args, stdout=out)
    return out.getvalue()


def test_jobs_run_in_order_as_of_the_day_with_the_stores_midnight_after_it(jobs):
    text = nightly("--today", "2027-01-31")

    day = datetime.date(2027, 1, 31)
    midnight = datetime.datetime(2027, 2, 1, tzinfo=TAIPEI)
    # Still 31 January in the shop: that day's birthdays, tomorrow's member day.
    last_moment = midnight - datetime.timedelta(microseconds=1)
    assert jobs == [
        ("schemes_activate_due", {"today": day}),
        ("release", {"now": midnight}),
        ("expire", {"now": midnight}),
        ("renew_or_downgrade", {"today": day}),
        ("tier_warnings", {"today": day}),
        ("points_reminders", {"today": day}),
        ("credit_expire", {"now": midnight}),
        ("birthday", {"now": last_moment}),
        ("member_day", {"now": last_moment}),
        ("lapse", {"now": midnight}),
        ("plan_reminders", {"now": last_moment}),
    ]
    assert text.splitlines() == [
        "Loyalty beat jobs as of 2027-01-31 (due before 2027-02-01 00:00 Asia/Taipei):",
        "  Tier schemes activated          0",
        "  Pending points released         3",
        "  Points expired                  2",
        "  Tiers renewed or downgraded     5",
        "  Tier expiry warnings sent       1",
        "  Points expiry reminders sent    4",
        "  Shopping credit expired         6",
        "  Birthday gifts given            7",
        "  Member-day reminders sent       8",
        "  Paid memberships ended          9",
        "  Paid membership reminders sent  10",
    ]


def test_days_count_from_today_in_the_stores_time_zone(jobs, monkeypatch):
    # 2026-11-29 20:00 UTC is already 2026-11-30 in Taipei.
    utc_evening = datetime.datetime(2026, 11, 29, 20, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: utc_evening)

    nightly("--days", "8")

    assert jobs[0] == ("schemes_activate_due", {"today": datetime.date(2026, 12, 8)})
    assert jobs[1] == (
        "release",
        {"now": datetime.datetime(2026, 12, 9, tzinfo=TAIPEI)},
    )


def test_days_add_to_a_given_day(jobs):
    nightly("--today", "2027-02-27", "--days", "2")
    assert jobs[0][1] == {"today": datetime.date(2027, 3, 1)}


def test_a_tier_run_result_prints_its_counts(jobs, monkeypatch):
    from dataclasses import dataclass

    @dataclass
    class Result:
        renewed: int
        downgraded: int

    monkeypatch.setattr(
        tiers, "tiers_renew_or_downgrade", lambda **kwargs: Result(2, 7)
    )
    text = nightly("--today", "2027-01-31")
    assert "  Tiers renewed or downgraded     renewed 2, downgraded 7" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--today", "2027-02-30"), "--today '2027-02-30' is not a date"),
        (("--today", "31/01/2027"), "use YYYY-MM-DD, e.g. --today 2027-01-31"),
        (("--days", "eight"), "--days 'eight' is not a whole number of days"),
        (("--days", "-1"), "--days must be from 0 to 3660"),
        (("--today", "9999-12-31", "--days", "1"), "That day is out of range."),
    ],
)
def test_bad_days_are_refused_with_a_clear_message(jobs, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        nightly(*args)
    assert jobs == []
