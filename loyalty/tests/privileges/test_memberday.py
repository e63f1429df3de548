"""The member-day schedule: days of the month, a weekday, the shop's time zone."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from loyalty.privileges.memberday import (
    is_member_day,
    member_day_dates,
    member_day_dates_clean,
    member_day_next,
    member_day_schedule_text,
    member_day_today,
)
from loyalty.tests.points_support import programme_set, utc

pytestmark = pytest.mark.django_db


def test_fixed_days_of_the_month():
    programme_set(member_day_dates="8,18")

    assert [d for d in range(1, 32) if is_member_day(date(2027, 3, d))] == [8, 18]


def test_the_31st_falls_on_the_last_day_of_a_shorter_month():
    programme_set(member_day_dates="31")

    assert is_member_day(date(2027, 1, 31))
    assert not is_member_day(date(2027, 1, 30))
    assert is_member_day(date(2027, 2, 28))
    assert is_member_day(date(2028, 2, 29))
    assert not is_member_day(date(2028, 2, 28))
    assert is_member_day(date(2027, 4, 30))
    assert not is_member_day(date(2027, 5, 30))


def test_a_day_of_the_week_and_days_of_the_month_together():
    programme_set(member_day_dates="18", member_day_weekday=2)  # Wednesday

    march = [d for d in range(1, 32) if is_member_day(date(2027, 3, d))]

    assert march == [3, 10, 17, 18, 24, 31]


def test_no_schedule_means_no_member_day():
    programme_set(member_day_dates="", member_day_weekday=None)

    assert not any(is_member_day(date(2027, 3, d)) for d in range(1, 32))
    assert member_day_next(date(2027, 3, 1)) is None
    assert member_day_schedule_text() == ""


def test_the_next_member_day_crosses_into_the_next_month():
    programme_set(member_day_dates="8,18")

    assert member_day_next(date(2027, 3, 8)) == date(2027, 3, 18)
    assert member_day_next(date(2027, 3, 18)) == date(2027, 4, 8)
    assert member_day_next(date(2027, 12, 20)) == date(2028, 1, 8)


def test_forcing_makes_every_day_one_but_not_the_next_one(settings):
    programme_set(member_day_dates="8")
    settings.LOYALTY_MEMBER_DAY_FORCE = True

    assert is_member_day(date(2027, 3, 9))
    # "Next member day" is the real schedule the shop promises.
    assert member_day_next(date(2027, 3, 9)) == date(2027, 4, 8)


def test_today_is_the_shops_date_not_utcs(monkeypatch):
    programme_set(member_day_dates="8")
    from django.utils import timezone

    # 16:30 UTC on the 7th is 00:30 on the 8th in Taipei.
    monkeypatch.setattr(timezone, "now", lambda: utc("2027-03-07 16:30"))
    assert member_day_today() == date(2027, 3, 8)
    monkeypatch.setattr(timezone, "now", lambda: utc("2027-03-07 15:59"))
    assert member_day_today() is None


def test_the_schedule_in_words():
    programme_set(member_day_dates="18,8", member_day_weekday=2)

    assert member_day_schedule_text() == "Every month on day 8, 18 · Every Wednesday"


def test_the_setting_is_read_leniently():
    assert member_day_dates(" 18, 8,,40,x ") == [8, 18]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("18, 8,", "8,18"), ("8，18", "8,18"), ("", ""), ("31,31", "31")],
)
def test_the_admin_tidies_the_days(typed, kept):
    assert member_day_dates_clean(typed) == kept


@pytest.mark.parametrize("typed", ["0", "32", "8,x", "8-18", "８"])
def test_the_admin_refuses_what_is_not_a_day(typed):
    with pytest.raises(ValidationError) as raised:
        member_day_dates_clean(typed)

    assert raised.value.messages[0].endswith(
        "is not a day of the month. Enter days from 1 to 31 separated by "
        "commas, e.g. 8,18."
    )
