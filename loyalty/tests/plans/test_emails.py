"""Paid membership emails and the beat tasks that send them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from loyalty.plans.emails import (
    PLAN_EMAIL_KINDS,
    plan_email_build,
    plan_email_context,
    plan_email_send_later,
)
from loyalty.tasks.plans import lapse_paid_memberships, send_paid_membership_reminders
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import at, paid_member_create, plan_create
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    user = member_create(email="amy@example.com", name="Amy")
    return paid_member_create(
        user=user, plan=plan_create(), paid_at=at(2027, 3, 15, 14)
    )


def parts(message):
    [html] = [body for body, kind in message.alternatives if kind == "text/html"]
    return message.body, html


@pytest.mark.parametrize("kind", PLAN_EMAIL_KINDS)
def test_every_email_renders_in_text_and_html(paid, kind, settings):
    settings.SITE_URL = "https://shop.example"
    context = plan_email_context(paid, refunded_amount="199")
    message = plan_email_build(user=paid.user, kind=kind, context=context)
    text, html = parts(message)
    assert message.to == ["amy@example.com"]
    assert text.startswith("Dear Amy,")
    assert "Dear Amy," in html
    # The layout's button and the text footer lead to the plans page.
    assert 'href="https://shop.example/account/plans/"' in html
    assert "https://shop.example/account/plans/" in text


def test_the_email_is_in_the_members_language(paid):
    order_with_lines(user=paid.user, language="zh-hant")
    message = plan_email_build(
        user=paid.user, kind="cancelled", context=plan_email_context(paid)
    )
    # The layout is translated already; this email's own sentences follow.
    assert message.body.startswith("親愛的 Amy 您好：")
    assert "2027年4月14日" in message.body


def test_unknown_kinds_and_non_json_context_are_programming_errors(paid):
    with pytest.raises(ValueError):
        plan_email_send_later(user=paid.user, kind="welcome", context={})
    with pytest.raises(ValueError):
        plan_email_send_later(
            user=paid.user, kind="ended", context={"when": timezone.now()}
        )


def test_the_lapse_task_ends_periods_that_are_over(
    django_capture_on_commit_callbacks,
):
    paid = paid_member_create(
        user=member_create(),
        plan=plan_create(),
        paid_at=timezone.now() - timedelta(days=40),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_paid_membership_reminders.apply().result == 0
        assert lapse_paid_memberships.apply().result == 1
    paid.refresh_from_db()
    assert paid.status == "lapsed"
    assert [m.subject for m in mail.outbox] == [
        "[Hinoki Living] Your Plus membership has ended"
    ]


def test_the_reminder_task_reminds_periods_ending_soon(
    django_capture_on_commit_callbacks,
):
    user = member_create()
    paid_member_create(
        user=user, plan=plan_create(), paid_at=timezone.now() - timedelta(days=26)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_paid_membership_reminders.apply().result == 1
        assert send_paid_membership_reminders.apply().result == 0
