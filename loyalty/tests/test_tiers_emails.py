"""Member emails (loyalty.notifications) and the tier beat tasks."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail

from loyalty.notifications import (
    member_email_build,
    member_email_send_later,
    member_emails_send_later,
    member_language,
)
from loyalty.tasks.emails import send_member_email
from loyalty.tasks.tiers import (
    activate_due_tier_schemes,
    renew_or_downgrade_tiers,
    send_tier_expiry_warnings,
)
from loyalty.tests.factories import member_create, tier
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


def parts(message):
    html = [body for body, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html) == 1
    return message.body, html[0]


def test_email_goes_out_only_after_commit(django_capture_on_commit_callbacks):
    user = member_create(email="amy@example.com", name="Amy")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member_email_send_later(
            user=user,
            kind="tier_upgraded",
            context={"tier_id": tier("silver").pk, "expires_on": "2027-11-28"},
        )

    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == ["amy@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_unknown_kinds_and_non_json_context_are_programming_errors():
    user = member_create()
    with pytest.raises(ValueError):
        member_email_send_later(user=user, kind="birthday", context={})
    with pytest.raises(ValueError):
        member_email_send_later(
            user=user, kind="points_expiring", context={"expires_on": date(2027, 1, 1)}
        )


def test_tier_upgraded_email_in_english():
    user = member_create(name="Amy")

    message = member_email_build(
        user=user,
        kind="tier_upgraded",
        context={"tier_id": tier("gold").pk, "expires_on": "2027-11-28"},
    )

    assert message.subject == "[Hinoki Living] Welcome to Gold"
    text, html = parts(message)
    assert text.startswith("Dear Amy,\n\nCongratulations: you are now a Gold member!")
    assert "Your Gold membership is valid until Nov. 28, 2027." in text
    assert "- Member discount: 5%" in text
    assert "- Points multiplier: ×2" in text
    assert "- Free shipping: on every order" in text
    assert "- Birthday gift: NT$300" in text
    assert "View your membership: http://127.0.0.1:8000/account/" in text
    assert '<html lang="en">' in html
    assert 'href="http://127.0.0.1:8000/account/"' in html


def test_written_in_the_language_of_the_last_order():
    user = member_create(name="王小明")
    order_with_lines(user=user, language="en")
    order_with_lines(user=user, language="zh-hant")
    assert member_language(user=user) == "zh-hant"
    assert member_language(user=member_create()) == settings.LANGUAGE_CODE

    message = member_email_build(
        user=user,
        kind="tier_expiring",
        context={
            "tier_id": tier("gold").pk,
            "expires_on": "2027-03-31",
            "spend_needed": "1240.00",
            "drop_to_tier_id": tier("silver").pk,
        },
    )

    assert "金卡" in message.subject
    text, html = parts(message)
    assert "金卡" in text and "銀卡" in text and "NT$1,240" in text
    assert '<html lang="zh-hant">' in html


def test_points_expiring_email_one_day_and_several_days():
    user = member_create(name="Amy")

    one = member_email_build(
        user=user,
        kind="points_expiring",
        context={"points": 120, "expires_on": "2027-01-31"},
    )
    several = member_email_build(
        user=user,
        kind="points_expiring",
        context={
            "points": 150,
            "expires_on": "2027-01-31",
            "points_available": 400,
            "expiring": [
                {"date": "2027-01-31", "points": 149},
                {"date": "2027-02-28", "points": 1},
            ],
        },
    )

    assert one.subject == "[Hinoki Living] Your points expire on Jan. 31, 2027"
    assert "120 points expire on Jan. 31, 2027." in one.body
    assert "150 of your points expire soon:" in several.body
    assert "- Jan. 31, 2027: 149 points\n- Feb. 28, 2027: 1 point\n" in several.body
    assert "You have 400 points to spend." in several.body


def test_a_batch_fans_out_into_one_email_per_member(django_capture_on_commit_callbacks):
    first, second = member_create(), member_create()
    context = {"points": 5, "expires_on": "2027-01-31"}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        member_emails_send_later(
            kind="points_expiring", items=[(first.pk, context), (second.pk, context)]
        )
        member_emails_send_later(kind="points_expiring", items=[])

    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


def test_no_email_to_a_closed_account():
    user = member_create(is_active=False)

    assert send_member_email(user.pk, "points_expiring", {"points": 1}) is False
    assert send_member_email(987654, "points_expiring", {"points": 1}) is False
    assert mail.outbox == []


def test_beat_tasks_call_their_services_and_are_scheduled():
    assert activate_due_tier_schemes() is None
    assert renew_or_downgrade_tiers() == {"renewed": 0, "downgraded": 0}
    assert send_tier_expiry_warnings() == 0

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "loyalty.tasks.tiers.activate_due_tier_schemes",
        "loyalty.tasks.tiers.renew_or_downgrade_tiers",
        "loyalty.tasks.tiers.send_tier_expiry_warnings",
    } <= scheduled
