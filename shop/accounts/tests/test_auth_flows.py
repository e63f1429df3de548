"""allauth's flows as a shopper meets them: sign up, log in and out, passwords, email.

Emails leave through a task queued after commit, so the tests that read them
run the commit callbacks (`django_capture_on_commit_callbacks`).
"""

import re
import smtplib

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from shop.accounts.models import ConsentRecord, User
from shop.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"
NEW_PASSWORD = "tea-and-cake-2024"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    # allauth counts attempts in the cache; every test starts with none.
    cache.clear()
    settings.SHOP_NAME = "Hinoki Test Shop"


def _signup_data(**overrides):
    data = {
        "name": "林小華",
        "email": "Hua@Example.com",
        "phone": "0912-345-678",
        "password1": "sunny-oolong-77",
        "password2": "sunny-oolong-77",
        "accepts_email_marketing": "on",
        "accept_terms": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _link_in(body: str) -> str:
    return re.search(r"https?://testserver(/\S+)", body).group(1)


def test_signup_creates_member_with_name_phone_and_consents(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), _signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    user = User.objects.get()
    assert user.email == "hua@example.com"
    assert user.name == "林小華"
    assert user.phone == "+886912345678"
    assert user.check_password("sunny-oolong-77")
    assert user.accepts_email_marketing is True
    assert user.accepts_sms_marketing is False
    assert list(user.consent_records.values_list("channel", "granted", "source")) == [
        ("email", True, "signup")
    ]
    # Verification is optional by default: logged in, and a confirmation was sent.
    assert client.session["_auth_user_id"] == str(user.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hua@example.com"]
    assert mail.outbox[0].subject.startswith("[Hinoki Test Shop] ")
    assert "Hinoki Test Shop" in mail.outbox[0].body


def test_signup_email_waits_for_the_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_signup"), _signup_data())
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_signup_finishes_when_the_mail_server_is_down(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_send(message, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken_send)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), _signup_data())
    assert response.status_code == 302
    assert User.objects.get().email == "hua@example.com"


def test_signup_with_sms_consent_records_both_channels(client):
    client.post(reverse("account_signup"), _signup_data(accepts_sms_marketing="on"))
    user = User.objects.get()
    assert sorted(user.consent_records.values_list("channel", "granted")) == [
        ("email", True),
        ("sms", True),
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"accept_terms": None},
            "accept_terms",
            "Please accept the terms of service to create an account.",
        ),
        (
            {"phone": "12345"},
            "phone",
            "Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678.",
        ),
        (
            {"phone": "", "accepts_sms_marketing": "on"},
            "phone",
            "Add a mobile phone number to receive SMS offers, or untick SMS offers.",
        ),
        ({"name": "   "}, "name", "This field is required."),
    ],
)
def test_signup_shows_field_errors(client, overrides, field, message):
    response = client.post(
        reverse("account_signup"), _signup_data(**overrides), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert User.objects.count() == 0
    assert ConsentRecord.objects.count() == 0


def test_mandatory_verification_blocks_login_until_the_link_is_followed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), _signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_url = _link_in(mail.outbox[0].body)
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="hua@example.com").verified is True

    response = client.post(
        reverse("account_login"),
        {"login": "hua@example.com", "password": "sunny-oolong-77"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_login_with_email_any_case_and_logout(client):
    user = UserFactory(email="mei@example.com")
    response = client.post(
        reverse("account_login"), {"login": "Mei@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_login_with_wrong_password_shows_an_error(client):
    UserFactory(email="mei@example.com")
    response = client.post(
        reverse("account_login"),
        {"login": "mei@example.com", "password": "wrong-password"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The email address and/or password you specified are not correct."
    ]
    assert "_auth_user_id" not in client.session


def test_password_reset_email_link_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="reset@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "reset@example.com"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reset@example.com"]
    assert mail.outbox[0].subject.startswith("[Hinoki Test Shop] ")

    key_url = _link_in(mail.outbox[0].body)
    response = client.get(key_url)
    # allauth moves the key into the session and redirects to a key-less URL.
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert client.get(set_password_url).status_code == 200

    response = client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "reset@example.com", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    # A used link is spent.
    client.logout()
    response = client.get(key_url)
    assert response.context["token_fail"] is True


def test_password_reset_for_unknown_email_sends_nothing_to_reveal(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "nobody@example.com"}
        )
    assert response.status_code == 302
    assert User.objects.count() == 0


def test_change_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still logged in after the change.
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_change_password_with_wrong_current_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"] == [
        "Please type your current password."
    ]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_email_after_confirming_the_new_address(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="before@example.com")
    EmailAddress.objects.create(
        user=user, email="before@example.com", primary=True, verified=True
    )
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"),
            {"action_add": "", "email": "after@example.com"},
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "before@example.com"
    assert mail.outbox[-1].to == ["after@example.com"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_link_in(mail.outbox[-1].body))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "after@example.com"
    assert list(
        EmailAddress.objects.filter(user=user).values_list(
            "email", "primary", "verified"
        )
    ) == [("after@example.com", True, True)]

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "after@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
    ],
)
def test_entrance_pages_use_the_shop_layout(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="card form-narrow entrance-card"' in html
    assert 'class="site-header"' in html
    assert "Hinoki Test Shop" in html
    assert "accounts/accounts.css" in html


def test_signup_page_labels_every_field(client):
    response = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    for field_id in (
        "id_name",
        "id_email",
        "id_phone",
        "id_password1",
        "id_password2",
        "id_accepts_email_marketing",
        "id_accepts_sms_marketing",
        "id_accept_terms",
    ):
        assert f'<label for="{field_id}">' in html
    assert 'aria-describedby="id_phone_helptext"' in html


@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "socialaccount_connections"],
)
def test_manage_pages_sit_in_the_member_area(client, url_name):
    client.force_login(UserFactory())
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="account-layout"' in html
    assert f'href="{reverse(url_name)}" aria-current="page"' in html


def test_pages_are_translated_to_traditional_chinese(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert "<h1>" in response.content.decode()
    assert "登入" in response.content.decode()
