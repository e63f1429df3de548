"""Versioned tier rules: draft, preview, schedule and apply."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.dates import add_months
from loyalty.errors import LoyaltyError
from loyalty.models import Membership, SchemeStatus, Tier, TierChange, TierScheme
from loyalty.selectors.programme import tiers_active
from loyalty.services.schemes import (
    scheme_draft_from_active,
    scheme_preview,
    scheme_schedule,
    scheme_unschedule,
    schemes_activate_due,
)
from loyalty.tests.tiers_support import at, member_holding, membership_of, spend_add
from shop.accounts.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory(is_superuser=True)


@pytest.fixture
def today():
    return timezone.localdate()


def codes() -> dict[int, str]:
    return {m.user_id: m.tier.code for m in Membership.objects.select_related("tier")}


def test_a_draft_copies_the_tiers_in_force(staff):
    draft = scheme_draft_from_active(actor=staff)

    assert draft.status == SchemeStatus.DRAFT
    assert draft.created_by == staff
    assert draft.name == "Draft from 會員等級 2026"
    copied = list(draft.tiers.order_by("rank"))
    assert [(t.code, t.rank, t.qualify_spend) for t in copied] == [
        ("member", 0, None),
        ("silver", 1, Decimal("5000.00")),
        ("gold", 2, Decimal("15000.00")),
        ("vip", 3, Decimal("40000.00")),
    ]
    assert copied[3].qualify_orders == 20
    assert copied[1].points_multiplier == Decimal("1.50")
    assert {t.pk for t in copied}.isdisjoint({t.pk for t in tiers_active()})


@pytest.fixture
def draft(staff):
    """Silver from NT$3,000; VIP removed; gold kept with a stricter rule."""
    draft = scheme_draft_from_active(actor=staff)
    draft.tiers.filter(code="silver").update(qualify_spend=Decimal("3000"))
    draft.tiers.filter(code="gold").update(qualify_spend=Decimal("50000"))
    draft.tiers.filter(code="vip").delete()
    return draft


@pytest.fixture
def members(today):
    since = at(today - timedelta(days=30))
    expires = today + timedelta(days=300)
    found = {
        "base_up": member_holding("member"),
        "base_same": member_holding("member"),
        "gold_kept": member_holding("gold", since=since, expires_on=expires),
        "vip_gone": member_holding("vip", since=since, expires_on=expires),
        "vip_gone_poor": member_holding("vip", since=since, expires_on=expires),
    }
    spend_add(found["base_up"], "3500", on=today - timedelta(days=10))
    spend_add(found["base_same"], "2000", on=today - timedelta(days=10))
    spend_add(found["vip_gone"], "4000", on=today - timedelta(days=10))
    return found


def test_preview_counts_equal_the_applied_result(draft, members, staff, today):
    before = codes()

    preview = scheme_preview(scheme=draft, today=today)

    assert (preview.up, preview.down, preview.same, preview.total) == (1, 2, 2, 5)
    assert preview.matrix == {
        ("member", "member"): 1,
        ("member", "silver"): 1,
        ("gold", "gold"): 1,
        ("vip", "silver"): 1,
        ("vip", "member"): 1,
    }
    scheme_schedule(scheme=draft, effective_from=today, actor=staff)
    assert schemes_activate_due(today=today) == draft

    after = codes()
    applied: dict[tuple[str, str], int] = {}
    for user_id, code in before.items():
        key = (code, after[user_id])
        applied[key] = applied.get(key, 0) + 1
    assert applied == preview.matrix
    assert Membership.objects.exclude(tier__scheme=draft).count() == 0
    assert TierChange.objects.filter(kind=TierChange.Kind.SCHEME).count() == 3
    # Gold's stricter rule drops nobody; its dates stay.
    gold = membership_of(members["gold_kept"])
    assert (gold.tier.scheme_id, gold.tier_expires_on) == (
        draft.pk,
        today + timedelta(days=300),
    )
    raised = membership_of(members["base_up"])
    assert raised.tier.code == "silver"
    assert raised.tier_expires_on == add_months(today, 12) - timedelta(days=1)
    change = TierChange.objects.get(
        kind=TierChange.Kind.SCHEME, membership__user=members["vip_gone"]
    )
    assert (change.from_tier.code, change.to_tier.code) == ("vip", "silver")
    assert change.reason == f"New tier rules: {draft.name}"


def test_activation_retires_the_old_scheme_and_clears_the_cache(draft, staff, today):
    old = TierScheme.objects.get(status=SchemeStatus.ACTIVE)
    assert [t.code for t in tiers_active()] == ["member", "silver", "gold", "vip"]
    scheme_schedule(scheme=draft, effective_from=today + timedelta(days=1), actor=staff)

    assert schemes_activate_due(today=today) is None
    assert schemes_activate_due(today=today + timedelta(days=1)) == draft

    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status) == (SchemeStatus.RETIRED, SchemeStatus.ACTIVE)
    assert draft.activated_at is not None
    assert [t.code for t in tiers_active()] == ["member", "silver", "gold"]
    assert schemes_activate_due(today=today + timedelta(days=2)) is None


def test_schedule_refuses_unsound_tiers(draft, staff, today):
    draft.tiers.filter(code="member").update(qualify_spend=Decimal("1"))
    with pytest.raises(LoyaltyError) as error:
        scheme_schedule(scheme=draft, effective_from=today, actor=staff)
    assert error.value.message == (
        "The starting tier (rank 0) cannot have qualification conditions."
    )

    draft.tiers.filter(code="member").update(qualify_spend=None)
    draft.tiers.filter(code="gold").update(rank=5)
    with pytest.raises(LoyaltyError) as error:
        scheme_schedule(scheme=draft, effective_from=today, actor=staff)
    assert error.value.message == "Ranks must run 0, 1, 2, … without gaps."

    draft.tiers.filter(code="gold").update(rank=2)
    draft.tiers.filter(code="member").delete()
    with pytest.raises(LoyaltyError) as error:
        scheme_schedule(scheme=draft, effective_from=today, actor=staff)
    assert "Exactly one tier must have rank 0" in error.value.message


def test_schedule_refuses_the_past_a_clash_and_non_drafts(draft, staff, today):
    with pytest.raises(LoyaltyError) as error:
        scheme_schedule(
            scheme=draft, effective_from=today - timedelta(days=1), actor=staff
        )
    assert error.value.field == "effective_from"

    other = scheme_draft_from_active(actor=staff)
    scheme_schedule(scheme=other, effective_from=today + timedelta(days=7), actor=staff)
    with pytest.raises(LoyaltyError) as error:
        scheme_schedule(
            scheme=draft, effective_from=today + timedelta(days=7), actor=staff
        )
    assert "is already scheduled for that day" in error.value.message
    with pytest.raises(LoyaltyError):
        scheme_schedule(scheme=other, effective_from=today, actor=staff)

    scheme_unschedule(scheme=other, actor=staff)
    other.refresh_from_db()
    assert other.status == SchemeStatus.DRAFT
    scheme_schedule(scheme=draft, effective_from=today + timedelta(days=7), actor=staff)


def test_the_latest_due_scheme_wins(staff, today):
    first = scheme_draft_from_active(actor=staff)
    second = scheme_draft_from_active(actor=staff)
    scheme_schedule(scheme=first, effective_from=today, actor=staff)
    scheme_schedule(
        scheme=second, effective_from=today + timedelta(days=1), actor=staff
    )

    assert schemes_activate_due(today=today + timedelta(days=3)) == second

    first.refresh_from_db()
    assert first.status == SchemeStatus.RETIRED
    assert first.activated_at is None


def test_a_cut_short_move_is_finished_by_the_next_call(draft, members, staff, today):
    preview = scheme_preview(scheme=draft, today=today)
    scheme_schedule(scheme=draft, effective_from=today, actor=staff)
    # As if the process died after switching schemes, before moving anybody.
    TierScheme.objects.filter(status=SchemeStatus.ACTIVE).update(
        status=SchemeStatus.RETIRED
    )
    TierScheme.objects.filter(pk=draft.pk).update(status=SchemeStatus.ACTIVE)
    assert Membership.objects.exclude(tier__scheme=draft).count() == 5

    assert schemes_activate_due(today=today) is None

    assert Membership.objects.exclude(tier__scheme=draft).count() == 0
    assert TierChange.objects.filter(kind=TierChange.Kind.SCHEME).count() == (
        preview.up + preview.down
    )


def test_a_tier_without_validity_keeps_no_expiry(staff, today):
    draft = scheme_draft_from_active(actor=staff)
    draft.tiers.filter(code="gold").update(validity="forever")
    member = member_holding(
        "gold", since=at(today), expires_on=today + timedelta(days=10)
    )
    scheme_schedule(scheme=draft, effective_from=today, actor=staff)

    schemes_activate_due(today=today)

    moved = membership_of(member)
    assert (moved.tier.code, moved.tier_expires_on) == ("gold", None)
    assert Tier.objects.get(pk=moved.tier_id).scheme_id == draft.pk
