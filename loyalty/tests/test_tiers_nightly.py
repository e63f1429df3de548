"""The nightly renewal / downgrade run, the expiry warnings and tier progress."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from loyalty.models import DowngradeRule, LoyaltyProgramme, Membership, TierChange
from loyalty.selectors.programme import programme_cache_clear, tiers_active
from loyalty.selectors.tiers import qualifying_spend, tier_progress
from loyalty.services.tiers import (
    TierRunResult,
    tier_expiry_warnings_send,
    tiers_renew_or_downgrade,
)
from loyalty.tests.tiers_support import at, member_holding, membership_of, spend_add

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 10)
SINCE = at(date(2026, 3, 10), 10)
EXPIRED = date(2027, 3, 9)


def rule(value):
    LoyaltyProgramme.objects.update_or_create(pk=1, defaults={"downgrade_rule": value})
    programme_cache_clear()


def run(capture, **kwargs):
    with capture(execute=True):
        return tiers_renew_or_downgrade(today=TODAY, **kwargs)


def last_change(user) -> TierChange:
    return TierChange.objects.filter(membership__user=user).order_by("-id").first()


@pytest.fixture
def population():
    """Members whose tier expired yesterday, one for each outcome, and bystanders."""
    members = {
        "gold_kept": member_holding("gold", since=SINCE, expires_on=EXPIRED),
        "gold_dropped": member_holding("gold", since=SINCE, expires_on=EXPIRED),
        "vip_again": member_holding("vip", since=SINCE, expires_on=EXPIRED),
        "silver_late": member_holding(
            "silver", since=at(date(2026, 6, 1)), expires_on=EXPIRED
        ),
        "silver_valid": member_holding("silver", since=SINCE, expires_on=TODAY),
        "base": member_holding("member", since=SINCE),
    }
    spend_add(members["gold_kept"], "10000", on=date(2026, 6, 1))
    spend_add(members["gold_dropped"], "2000", on=date(2026, 6, 1))
    for _ in range(20):
        spend_add(members["vip_again"], "100", on=date(2026, 12, 1))
    # Spent before the tier started: qualifies for nothing, keeps nothing.
    spend_add(members["silver_late"], "3000", on=date(2026, 5, 1))
    Membership.objects.filter(user=members["gold_kept"]).update(
        tier_warning_sent_on=date(2027, 2, 7)
    )
    return members


def test_renews_those_who_kept_or_requalified_and_drops_one_level(
    population, django_capture_on_commit_callbacks
):
    result = run(django_capture_on_commit_callbacks)

    # One batch per (tier, expiry day): gold, VIP, silver.
    assert result == TierRunResult(renewed=2, downgraded=2, batches=3)
    kept = membership_of(population["gold_kept"])
    assert (kept.tier.code, kept.tier_expires_on) == ("gold", date(2028, 3, 9))
    assert kept.tier_since == SINCE
    assert kept.tier_warning_sent_on is None
    change = last_change(population["gold_kept"])
    assert (change.kind, change.from_tier.code, change.to_tier.code) == (
        "renewal",
        "gold",
        "gold",
    )
    assert change.expires_on == date(2028, 3, 9)
    assert change.reason == "Spent at least NT$10,000 while Gold was valid"

    again = membership_of(population["vip_again"])
    assert (again.tier.code, again.tier_expires_on) == ("vip", date(2028, 3, 9))
    assert last_change(population["vip_again"]).reason == "Qualified again for VIP"

    dropped = membership_of(population["gold_dropped"])
    assert (dropped.tier.code, dropped.tier_expires_on) == ("silver", date(2028, 3, 9))
    assert dropped.tier_since == at(TODAY, 0)
    change = last_change(population["gold_dropped"])
    assert (change.kind, change.from_tier.code, change.to_tier.code) == (
        "downgrade",
        "gold",
        "silver",
    )
    assert change.reason == "Spent less than NT$10,000 while Gold was valid"

    late = membership_of(population["silver_late"])
    assert (late.tier.code, late.tier_expires_on) == ("member", None)

    untouched = membership_of(population["silver_valid"])
    assert (untouched.tier.code, untouched.tier_expires_on) == ("silver", TODAY)
    assert membership_of(population["base"]).tier.code == "member"

    assert sorted(message.subject for message in mail.outbox) == [
        "[Hinoki Living] Your Gold membership has been renewed",
        "[Hinoki Living] Your VIP membership has been renewed",
    ]
    gold = next(m for m in mail.outbox if "Gold" in m.subject)
    assert gold.to == [population["gold_kept"].email]
    assert "your Gold membership has been renewed until March 9, 2028." in gold.body


def test_a_second_run_changes_nothing(population, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    changes = TierChange.objects.count()

    assert run(django_capture_on_commit_callbacks) == TierRunResult()
    assert TierChange.objects.count() == changes


def test_small_batches_give_the_same_result(
    population, django_capture_on_commit_callbacks
):
    result = run(django_capture_on_commit_callbacks, batch_size=1)

    assert result == TierRunResult(renewed=2, downgraded=2, batches=4)
    codes = {name: membership_of(user).tier.code for name, user in population.items()}
    assert codes == {
        "gold_kept": "gold",
        "gold_dropped": "silver",
        "vip_again": "vip",
        "silver_late": "member",
        "silver_valid": "silver",
        "base": "member",
    }


def test_qualified_rule_drops_to_the_tier_the_member_qualifies_for(
    django_capture_on_commit_callbacks,
):
    rule(DowngradeRule.QUALIFIED)
    vip = member_holding("vip", since=SINCE, expires_on=EXPIRED)
    spend_add(vip, "6000", on=date(2026, 12, 1))
    silver = member_holding("silver", since=SINCE, expires_on=EXPIRED)

    result = run(django_capture_on_commit_callbacks)

    assert result == TierRunResult(renewed=0, downgraded=2, batches=2)
    dropped = membership_of(vip)
    assert (dropped.tier.code, dropped.tier_expires_on) == ("silver", date(2028, 3, 9))
    assert last_change(vip).reason == "Spent less than NT$30,000 while VIP was valid"
    assert (membership_of(silver).tier.code, membership_of(silver).tier_expires_on) == (
        "member",
        None,
    )
    assert mail.outbox == []


def test_one_level_rule_for_the_same_member(django_capture_on_commit_callbacks):
    rule(DowngradeRule.ONE_LEVEL)
    vip = member_holding("vip", since=SINCE, expires_on=EXPIRED)
    spend_add(vip, "6000", on=date(2026, 12, 1))

    run(django_capture_on_commit_callbacks)

    assert membership_of(vip).tier.code == "gold"


def test_year_end_validity_renews_to_the_next_year_end(
    django_capture_on_commit_callbacks,
):
    from loyalty.models import Tier

    Tier.objects.filter(code="gold").update(validity="year_end")
    programme_cache_clear()
    member = member_holding(
        "gold", since=at(date(2026, 2, 1)), expires_on=date(2026, 12, 31)
    )
    spend_add(member, "10000", on=date(2026, 1, 15))  # before the tier: not counted
    spend_add(member, "10000", on=date(2026, 11, 30))

    with django_capture_on_commit_callbacks(execute=True):
        result = tiers_renew_or_downgrade(today=date(2027, 1, 1))

    assert result.renewed == 1
    assert membership_of(member).tier_expires_on == date(2027, 12, 31)


# --- Warnings ----------------------------------------------------------------------

WARN_DAY = date(2027, 3, 1)


@pytest.fixture
def expiring():
    since = at(date(2026, 4, 1))
    members = {
        "short": member_holding("gold", since=since, expires_on=date(2027, 3, 31)),
        "kept": member_holding("gold", since=since, expires_on=date(2027, 3, 31)),
        "later": member_holding("gold", since=since, expires_on=date(2027, 4, 1)),
    }
    spend_add(members["short"], "8760", on=date(2026, 10, 1))
    spend_add(members["kept"], "10000", on=date(2026, 10, 1))
    return members


def test_warns_once_those_who_would_lose_their_tier(
    expiring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tier_expiry_warnings_send(today=WARN_DAY) == 1

    [message] = mail.outbox
    assert message.to == [expiring["short"].email]
    assert message.subject == "[Hinoki Living] Keep your Gold membership"
    assert "Your Gold membership is valid until March 31, 2027." in message.body
    assert "Spend NT$1,240 more by March 31, 2027 to keep Gold." in message.body
    assert "Otherwise your membership moves to Silver after that day." in message.body
    assert membership_of(expiring["short"]).tier_warning_sent_on == WARN_DAY

    with django_capture_on_commit_callbacks(execute=True):
        assert tier_expiry_warnings_send(today=WARN_DAY) == 0
        assert tier_expiry_warnings_send(today=date(2027, 3, 2)) == 1  # "later"
    assert len(mail.outbox) == 2


def test_a_renewal_clears_the_warning_for_the_next_validity(
    expiring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tier_expiry_warnings_send(today=WARN_DAY)
    spend_add(expiring["short"], "1240", on=date(2027, 3, 20))

    with django_capture_on_commit_callbacks(execute=True):
        tiers_renew_or_downgrade(today=date(2027, 4, 1))

    renewed = membership_of(expiring["short"])
    assert (renewed.tier_expires_on, renewed.tier_warning_sent_on) == (
        date(2028, 3, 31),
        None,
    )


# --- Progress ----------------------------------------------------------------------


def test_progress_to_the_next_tier_and_to_keep_this_one(django_assert_num_queries):
    member = member_holding(
        "silver", since=at(date(2026, 6, 1)), expires_on=date(2027, 5, 31)
    )
    spend_add(member, "1000", on=date(2026, 3, 10))  # before the window
    spend_add(member, "1500", on=date(2026, 8, 1))
    spend_add(member, "700", on=date(2027, 3, 10))
    membership = membership_of(member)
    tiers_active()  # cached per process, as in a request

    with django_assert_num_queries(1):
        progress = tier_progress(membership=membership, today=TODAY)

    assert progress.tier.code == "silver"
    assert progress.next_tier.code == "gold"
    assert progress.next_spend_needed == Decimal("12800.00")
    assert progress.next_orders_needed is None
    assert progress.next_percent == 14
    assert progress.window_starts_on == date(2026, 3, 11)
    assert progress.window_ends_on is None
    assert progress.spend_in_window == Decimal("2200.00")
    assert progress.retain_spend_needed == Decimal("800.00")
    assert progress.retain_percent == 73
    assert progress.retain_by == date(2027, 5, 31)
    assert progress.spend_in_validity == Decimal("2200.00")


def test_progress_of_a_new_member_and_of_the_top_tier():
    member = member_holding("member")
    progress = tier_progress(membership=membership_of(member), today=TODAY)
    assert (progress.next_tier.code, progress.next_spend_needed) == (
        "silver",
        Decimal("5000.00"),
    )
    assert (progress.next_percent, progress.retain_spend_needed) == (0, None)
    assert (progress.retain_percent, progress.retain_by) == (None, None)

    # Valid 2027-01-01 … 2027-12-31 (12 months), so January's spend keeps it.
    top = member_holding("vip", since=SINCE, expires_on=date(2027, 12, 31))
    spend_add(top, "45000", on=date(2027, 1, 5))
    progress = tier_progress(membership=membership_of(top), today=TODAY)
    assert (progress.next_tier, progress.next_percent) == (None, 100)
    assert (progress.retain_spend_needed, progress.retain_percent) == (
        Decimal("0.00"),
        100,
    )


def test_qualifying_spend_between_two_days():
    member = member_holding("member")
    spend_add(member, "1000", on=at(date(2027, 1, 1), 0))
    spend_add(member, "500", on=at(date(2027, 1, 31), 23))
    spend_add(member, "-200", on=date(2027, 1, 31), orders=-1)
    spend_add(member, "900", on=at(date(2027, 2, 1), 0))

    assert qualifying_spend(
        membership=membership_of(member),
        since=date(2027, 1, 1),
        until=date(2027, 1, 31),
    ) == (Decimal("1300.00"), 1)
