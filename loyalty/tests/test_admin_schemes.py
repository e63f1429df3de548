"""Tier schemes in the back office: draft, edit, preview, schedule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from loyalty.models import (
    Membership,
    QualifyingSpend,
    SchemeStatus,
    Tier,
    TierScheme,
)
from loyalty.tests.admin_support import (
    change_form_data,
    customer_service_login,
    merchant_login,
    queries_of,
)
from loyalty.tests.factories import member_create, tier

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:loyalty_tierscheme_changelist")
NEW_DRAFT = reverse("admin:loyalty_tierscheme_new_draft")


def change_url(scheme):
    return reverse("admin:loyalty_tierscheme_change", args=[scheme.pk])


def preview_url(scheme):
    return reverse("admin:loyalty_tierscheme_preview", args=[scheme.pk])


def schedule_url(scheme):
    return reverse("admin:loyalty_tierscheme_schedule", args=[scheme.pk])


def unschedule_url(scheme):
    return reverse("admin:loyalty_tierscheme_unschedule", args=[scheme.pk])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def merchant(client):
    return merchant_login(client)


@pytest.fixture
def active():
    return TierScheme.objects.get(status=SchemeStatus.ACTIVE)


@pytest.fixture
def draft(client, merchant, active):
    client.post(NEW_DRAFT)
    return TierScheme.objects.get(status=SchemeStatus.DRAFT)


def test_scheme_list_offers_a_new_draft(client, merchant, active):
    response = client.get(CHANGELIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert active.name in body
    assert "Active" in body
    assert "New draft from the active scheme" in body
    assert NEW_DRAFT in body
    # Schemes start from the one in force, never from an empty form.
    assert client.get(reverse("admin:loyalty_tierscheme_add")).status_code == 403


def test_scheme_list_query_count_is_constant(client, merchant, active):
    queries_of(client, CHANGELIST)
    with_one = queries_of(client, CHANGELIST)
    TierScheme.objects.create(name="Old rules", status=SchemeStatus.RETIRED)

    assert queries_of(client, CHANGELIST) == with_one


def test_new_draft_copies_the_active_tiers(client, merchant, active):
    response = client.post(NEW_DRAFT, follow=True)

    draft = TierScheme.objects.get(status=SchemeStatus.DRAFT)
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert draft.created_by == merchant
    assert list(draft.tiers.order_by("rank").values_list("code", "qualify_spend")) == [
        ("member", None),
        ("silver", Decimal("5000.00")),
        ("gold", Decimal("15000.00")),
        ("vip", Decimal("40000.00")),
    ]
    assert texts(response) == [
        f"A new draft “{draft.name}” was made from the tiers in force. Edit its "
        "tiers below, preview it, then schedule it."
    ]
    assert client.get(NEW_DRAFT).status_code == 405


def test_a_draft_is_edited_inline(client, merchant, draft):
    page = client.get(change_url(draft))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="tiers-1-qualify_spend"' in body
    assert preview_url(draft) in body
    assert schedule_url(draft) in body
    data = change_form_data(page)
    silver = next(
        key[: -len("-code")]
        for key, value in data.items()
        if key.endswith("-code") and value == "silver"
    )
    data[f"{silver}-qualify_spend"] = "4000"
    data["name"] = "2027 rules"

    response = client.post(change_url(draft), data)

    assert response.status_code == 302, response.context["errors"]
    draft.refresh_from_db()
    assert draft.name == "2027 rules"
    assert draft.tiers.get(code="silver").qualify_spend == Decimal("4000")
    # The rules in force are untouched.
    assert tier("silver").qualify_spend == Decimal("5000")


def test_the_active_scheme_is_read_only(client, merchant, active):
    page = client.get(change_url(active))

    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="tiers-1-qualify_spend"' not in body
    assert "銀卡" in body
    assert "In force since" in body
    assert preview_url(active) not in body
    assert schedule_url(active) not in body
    assert client.post(change_url(active), {"name": "x"}).status_code == 403
    delete = reverse("admin:loyalty_tierscheme_delete", args=[active.pk])
    assert client.get(delete).status_code == 403
    active.refresh_from_db()
    assert active.name != "x"


def test_a_draft_with_problems_says_what_to_fix(client, merchant, draft):
    draft.tiers.filter(code="member").delete()

    page = client.get(change_url(draft))
    preview = client.get(preview_url(draft), follow=True)

    assert page.context["scheme_problems"] == [
        "Exactly one tier must have rank 0 (the starting tier).",
        "Ranks must run 0, 1, 2, … without gaps.",
    ]
    assert "Fix these before the draft can be previewed or scheduled" in (
        page.content.decode()
    )
    assert preview.redirect_chain[-1][0] == change_url(draft)
    assert texts(preview) == [
        "Exactly one tier must have rank 0 (the starting tier). "
        "Ranks must run 0, 1, 2, … without gaps."
    ]


# --- preview --------------------------------------------------------------------------


def spend(user, amount):
    membership = Membership.objects.get(user=user)
    QualifyingSpend.objects.create(
        membership=membership,
        amount=Decimal(amount),
        orders=1,
        counted_at=timezone.now() - timedelta(days=10),
        idempotency_key=f"test-spend:{membership.pk}:{amount}",
    )


def test_preview_counts_members_up_down_and_unchanged(client, merchant, draft):
    rising = member_create(email="rising@example.com")
    spend(rising, "1500")
    member_create(email="stays@example.com")
    falling = member_create(email="falling@example.com")
    Membership.objects.filter(user=falling).update(tier=tier("vip"))
    # The draft: silver from NT$1,000, and no VIP any more.
    draft.tiers.filter(code="vip").delete()
    draft.tiers.filter(code="silver").update(qualify_spend=Decimal("1000"))

    response = client.get(preview_url(draft))

    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.up, preview.down, preview.same) == (1, 1, 1)
    body = " ".join(response.content.decode().split())
    assert "1 member would move up, 1 down, 1 unchanged." in body
    assert [
        (m.from_tier.code, m.to_tier.code, m.members, m.direction)
        for m in preview.moves
    ] == [
        ("member", "member", 1, "same"),
        ("member", "silver", 1, "up"),
        ("vip", "member", 1, "down"),
    ]
    assert schedule_url(draft) in body
    # A preview changes nothing.
    assert Membership.objects.get(user=rising).tier.code == "member"


def test_preview_query_count_does_not_grow_with_members(client, merchant, draft):
    for n in range(3):
        spend(member_create(email=f"m{n}@example.com"), "6000")
    queries_of(client, preview_url(draft))
    with_three = queries_of(client, preview_url(draft))
    spend(member_create(email="extra@example.com"), "20000")

    assert queries_of(client, preview_url(draft)) == with_three


# --- scheduling -----------------------------------------------------------------------


def test_schedule_in_the_past_is_a_form_error(client, merchant, draft):
    page = client.get(schedule_url(draft))
    assert page.status_code == 200
    assert page.context["form"]["effective_from"].value() == (
        timezone.localdate() + timedelta(days=1)
    )
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(schedule_url(draft), {"effective_from": yesterday})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "effective_from": ["Choose today or a later day."]
    }
    draft.refresh_from_db()
    assert draft.status == SchemeStatus.DRAFT


def test_schedule_refuses_a_day_another_scheme_has(client, merchant, draft):
    day = timezone.localdate() + timedelta(days=30)
    other = TierScheme.objects.create(
        name="Spring rules", status=SchemeStatus.SCHEDULED, effective_from=day
    )

    response = client.post(schedule_url(draft), {"effective_from": day})

    assert response.context["form"].errors == {
        "effective_from": [f"“{other.name}” is already scheduled for that day."]
    }


def test_schedule_refuses_a_draft_with_problems(client, merchant, draft):
    draft.tiers.filter(code="gold").delete()

    response = client.post(
        schedule_url(draft), {"effective_from": timezone.localdate()}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Ranks must run 0, 1, 2, … without gaps."
    ]


def test_schedule_then_back_to_draft(client, merchant, draft):
    day = timezone.localdate() + timedelta(days=14)

    response = client.post(schedule_url(draft), {"effective_from": day}, follow=True)

    draft.refresh_from_db()
    assert (draft.status, draft.effective_from) == (SchemeStatus.SCHEDULED, day)
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert texts(response)[-1:] == [
        f"“{draft.name}” takes effect on {day.isoformat()}, when members are placed "
        "in its tiers. Its tiers can no longer be edited; “Back to draft” undoes "
        "this before that day."
    ]
    body = response.content.decode()
    assert 'name="tiers-1-qualify_spend"' not in body
    assert unschedule_url(draft) in body
    assert schedule_url(draft) not in body
    assert client.get(schedule_url(draft), follow=True).status_code == 200
    assert (
        client.get(reverse("admin:loyalty_tierscheme_delete", args=[draft.pk]))
    ).status_code == 403

    back = client.post(unschedule_url(draft), follow=True)

    draft.refresh_from_db()
    assert draft.status == SchemeStatus.DRAFT
    assert texts(back)[-1] == (
        f"“{draft.name}” is a draft again: it will not take effect until you "
        "schedule it."
    )


def test_a_draft_can_be_deleted(client, merchant, draft):
    delete = reverse("admin:loyalty_tierscheme_delete", args=[draft.pk])

    response = client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not TierScheme.objects.filter(pk=draft.pk).exists()
    assert not Tier.objects.filter(scheme_id=draft.pk).exists()


def test_customer_service_has_no_tier_schemes(client, active):
    customer_service_login(client)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(active)).status_code == 403
    assert client.post(NEW_DRAFT).status_code == 403
    assert client.get(preview_url(active)).status_code == 403
    assert not TierScheme.objects.filter(status=SchemeStatus.DRAFT).exists()
