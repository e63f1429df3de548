import smtplib

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from celery.exceptions import Retry
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import RequestFactory

from shop.accounts.adapters import AccountAdapter, SocialAccountAdapter, full_name
from shop.accounts.models import User
from shop.accounts.tasks import send_email_message


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("小明", "王", "王小明"),
        ("Ming", "Wang", "Ming Wang"),
        ("Ming", "", "Ming"),
        ("", "", ""),
        ("太郎", "山田", "山田太郎"),
    ],
)
def test_full_name_follows_the_script(first, last, expected):
    assert full_name(first_name=first, last_name=last) == expected


def _social_login(provider: str) -> SocialLogin:
    return SocialLogin(user=User(), account=SocialAccount(provider=provider, uid="1"))


@pytest.mark.parametrize(
    ("provider", "data", "name", "email"),
    [
        (
            "line",
            {"name": "林小華", "email": "hua@example.com"},
            "林小華",
            "hua@example.com",
        ),
        (
            "google",
            {"first_name": "小華", "last_name": "林", "email": "hua@example.com"},
            "林小華",
            "hua@example.com",
        ),
        (
            "facebook",
            {"first_name": "Amy", "last_name": "Lin", "email": "not-an-email"},
            "Amy Lin",
            "",
        ),
    ],
)
def test_social_signup_fills_name_and_email(provider, data, name, email):
    request = RequestFactory().get("/")
    user = SocialAccountAdapter().populate_user(request, _social_login(provider), data)
    assert (user.name, user.email) == (name, email)


def test_email_subject_carries_the_shop_name(settings):
    settings.SHOP_NAME = "小檜木"
    assert AccountAdapter().format_email_subject("Password Reset") == (
        "[小檜木] Password Reset"
    )
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
    assert AccountAdapter().format_email_subject("Password Reset") == "Password Reset"


def test_send_email_task_sends_the_rendered_message():
    send_email_message(
        {
            "subject": "[Shop] Hello",
            "body": "Plain text",
            "content_subtype": "plain",
            "from_email": "shop@example.com",
            "to": ["mei@example.com"],
            "alternatives": [["<p>Rich</p>", "text/html"]],
            "headers": {"X-Shop": "1"},
        }
    )
    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.to) == (
        "[Shop] Hello",
        "Plain text",
        ["mei@example.com"],
    )
    assert sent.alternatives[0].content == "<p>Rich</p>"
    assert sent.extra_headers == {"X-Shop": "1"}


def test_send_email_task_retries_when_the_mail_server_fails(monkeypatch):
    def broken_send(message, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken_send)
    with pytest.raises(Retry):
        send_email_message.apply(
            args=[
                {
                    "subject": "Retry me",
                    "body": "b",
                    "from_email": "shop@example.com",
                    "to": ["mei@example.com"],
                }
            ]
        )
    assert mail.outbox == []
