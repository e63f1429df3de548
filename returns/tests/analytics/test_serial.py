"""Serial returners: the thresholds, refreshing, clearing and flagging again.

In conftest.py's shop Amy bought 6 units over all her delivered orders and
asked back 4 of them in 3 requests (66.7%); Ben bought 4 and asked back 1
(his rejected request does not count). The policy flags more than 40% in at
least 3 returns.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from returns.models import ReturnReason, SerialReturner
from returns.services import return_policy_update
from returns.services.serial import (
    serial_returner_candidates,
    serial_returner_clear,
    serial_returners_flag,
)
from returns.tasks import flag_serial_returners
from returns.tests.factories import delivered_order, return_request_make


def test_amy_is_flagged_with_her_figures_and_ben_is_not(shop):
    assert serial_returners_flag(now=shop.now) == 1

    row = SerialReturner.objects.get()
    assert row.user == shop.amy
    assert (row.units_bought, row.units_returned, row.returns_count) == (6, 4, 3)
    assert row.flagged_at == shop.now
    assert row.cleared_at is None


def test_flagging_again_changes_nothing(shop):
    serial_returners_flag(now=shop.now)

    assert serial_returners_flag(now=shop.now + timedelta(days=1)) == 0
    row = SerialReturner.objects.get()
    assert row.flagged_at == shop.now
    assert (row.units_bought, row.units_returned, row.returns_count) == (6, 4, 3)


def test_the_rate_must_be_passed_not_reached(shop):
    # 4 of 6 is 66.67%: over 66, not over 67.
    return_policy_update(serial_returner_rate=67)
    assert serial_returners_flag(now=shop.now) == 0
    return_policy_update(serial_returner_rate=66)
    assert serial_returners_flag(now=shop.now) == 1


def test_too_few_returns_are_not_flagged(shop):
    return_policy_update(serial_returner_min_returns=4)
    assert serial_returner_candidates(rate=40, min_returns=4) == {}
    assert serial_returners_flag(now=shop.now) == 0
    # Ben's 25% in one return passes a 20% threshold with one return needed.
    assert set(serial_returner_candidates(rate=20, min_returns=1)) == {
        shop.amy.pk,
        shop.ben.pk,
    }


def test_a_cleared_flag_stays_cleared_until_a_later_return(shop, merchant):
    serial_returners_flag(now=shop.now)
    row = SerialReturner.objects.get()
    cleared = timezone.now()
    serial_returner_clear(returner=row, actor=merchant, now=cleared)

    assert serial_returners_flag(now=cleared + timedelta(hours=1)) == 0
    row.refresh_from_db()
    assert (row.cleared_at, row.cleared_by) == (cleared, merchant)

    # Amy returns again after the clearing: flagged again, with the new figures.
    order = delivered_order(user=shop.amy, items=[(shop.shirt, 1)])
    return_request_make(order=order, reason=ReturnReason.WRONG_SIZE)
    later = cleared + timedelta(days=1)
    assert serial_returners_flag(now=later) == 1
    row.refresh_from_db()
    assert (row.cleared_at, row.cleared_by, row.flagged_at) == (None, None, later)
    assert (row.units_bought, row.units_returned, row.returns_count) == (7, 5, 4)


def test_clearing_twice_keeps_the_first_clearing(shop, merchant, desk):
    serial_returners_flag(now=shop.now)
    row = SerialReturner.objects.get()
    serial_returner_clear(returner=row, actor=merchant, now=shop.now)
    serial_returner_clear(returner=row, actor=desk, now=shop.now + timedelta(1))

    row.refresh_from_db()
    assert (row.cleared_at, row.cleared_by) == (shop.now, merchant)


def test_a_customer_back_under_the_threshold_is_cleared_by_nobody(shop):
    serial_returners_flag(now=shop.now)
    # 4 returned of 6 + 10 bought is 25%.
    delivered_order(user=shop.amy, items=[(shop.mug, 10)])

    later = shop.now + timedelta(days=1)
    assert serial_returners_flag(now=later) == 0
    row = SerialReturner.objects.get()
    assert (row.cleared_at, row.cleared_by) == (later, None)


def test_the_nightly_task_flags(shop):
    assert flag_serial_returners.delay().get() == 1
    assert SerialReturner.objects.filter(user=shop.amy).exists()
    entry = settings.CELERY_BEAT_SCHEDULE["returns-flag-serial-returners"]
    assert entry["task"] == "returns.tasks.flag_serial_returners"
