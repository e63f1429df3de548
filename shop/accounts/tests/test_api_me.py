import datetime
from unittest import mock

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shop.accounts.models import ConsentRecord
from shop.accounts.tests.factories import UserFactory

ME_URL = "/api/me/"
TAIPEI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2025, 3, 1, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture
def client():
    return APIClient(headers={"Accept-Language": "en"})


@pytest.fixture
def member(db):
    return UserFactory(
        email="mei@example.com",
        name="林小美",
        date_joined=datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=TAIPEI),
    )


@pytest.fixture
def member_client(client, member):
    client.force_authenticate(member)
    return client


def frozen_now():
    return mock.patch("django.utils.timezone.now", return_value=NOW)


def test_anonymous_gets_401(client, db):
    assert client.get(ME_URL).status_code == 401
    assert client.patch(ME_URL, {"name": "x"}).status_code == 401


def test_my_profile(member_client, member):
    response = member_client.get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": member.pk,
        "email": "mei@example.com",
        "name": "林小美",
        "phone": "",
        "phone_display": "",
        "birthday": None,
        "birthday_editable": True,
        "accepts_email_marketing": False,
        "email_marketing_changed_at": None,
        "accepts_sms_marketing": False,
        "sms_marketing_changed_at": None,
        "date_joined": "2024-05-06T07:08:09+08:00",
    }


def test_token_and_session_both_authenticate(client, member):
    token = Token.objects.create(user=member)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(ME_URL).json()["email"] == "mei@example.com"

    session_client = APIClient()
    session_client.force_login(member)
    assert session_client.get(ME_URL).json()["email"] == "mei@example.com"


def test_session_writes_need_the_csrf_token(member):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.patch(ME_URL, {"name": "改名"}, format="json")

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.name == "林小美"


def test_update_name_and_phone_normalises_the_phone(member_client, member):
    response = member_client.patch(
        ME_URL, {"name": " 林美美 ", "phone": "0912-345-678"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["phone"], body["phone_display"]) == (
        "林美美",
        "+886912345678",
        "0912-345-678",
    )
    member.refresh_from_db()
    assert (member.name, member.phone) == ("林美美", "+886912345678")


def test_bad_phone_is_a_field_error(member_client, member):
    response = member_client.patch(ME_URL, {"phone": "12345"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "phone": ["Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678."]
    }
    member.refresh_from_db()
    assert member.phone == ""


def test_birthday_is_set_once(member_client, member):
    with frozen_now():
        first = member_client.patch(ME_URL, {"birthday": "1990-08-15"}, format="json")
    assert first.status_code == 200
    assert (first.json()["birthday"], first.json()["birthday_editable"]) == (
        "1990-08-15",
        False,
    )

    second = member_client.patch(ME_URL, {"birthday": "1990-09-15"}, format="json")

    assert second.status_code == 400
    assert second.json() == {
        "birthday": [
            "Your birthday has already been set and cannot be changed here. "
            "Please contact us to correct it."
        ]
    }
    member.refresh_from_db()
    assert (member.birthday, member.birthday_set_at) == (
        datetime.date(1990, 8, 15),
        NOW,
    )


def test_sending_the_same_birthday_again_is_fine(member_client, member):
    member.birthday = datetime.date(1990, 8, 15)
    member.save()

    response = member_client.patch(
        ME_URL, {"birthday": "1990-08-15", "name": "美"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "美"


def test_malformed_and_future_birthdays(member_client):
    malformed = member_client.patch(ME_URL, {"birthday": "15/08/1990"}, format="json")
    future = member_client.patch(ME_URL, {"birthday": "2999-01-01"}, format="json")

    assert malformed.status_code == 400
    assert malformed.json() == {
        "birthday": [
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
        ]
    }
    assert future.status_code == 400
    assert future.json() == {"birthday": ["Your birthday cannot be in the future."]}


def test_wrong_types_are_reported_per_field(member_client):
    response = member_client.patch(
        ME_URL, {"name": "x" * 151, "accepts_email_marketing": "maybe"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": ["Ensure this field has no more than 150 characters."],
        "accepts_email_marketing": ["Must be a valid boolean."],
    }


def test_giving_a_consent_records_when_and_how(member_client, member):
    with frozen_now():
        response = member_client.patch(
            ME_URL, {"accepts_email_marketing": True}, format="json"
        )

    assert response.status_code == 200
    body = response.json()
    assert (body["accepts_email_marketing"], body["email_marketing_changed_at"]) == (
        True,
        "2025-03-01T12:00:00+08:00",
    )
    assert list(
        ConsentRecord.objects.filter(user=member).values_list(
            "channel", "granted", "source"
        )
    ) == [("email", True, "api")]


def test_sms_consent_needs_a_phone(member_client, member):
    response = member_client.patch(
        ME_URL, {"accepts_sms_marketing": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "phone": [
            "Add a mobile phone number to receive SMS offers, or untick SMS offers."
        ]
    }
    assert ConsentRecord.objects.filter(user=member).count() == 0


def test_withdrawing_a_consent_works_even_with_an_incomplete_profile(client, db):
    # Signed up with an email only: no name, which a profile update would require.
    member = UserFactory(name="", accepts_email_marketing=True)
    client.force_authenticate(member)

    response = client.patch(ME_URL, {"accepts_email_marketing": False}, format="json")

    assert response.status_code == 200
    assert response.json()["accepts_email_marketing"] is False
    assert list(
        ConsentRecord.objects.filter(user=member).values_list("granted", "source")
    ) == [(False, "api")]


def test_email_cannot_be_changed_here(member_client, member):
    response = member_client.patch(
        ME_URL, {"email": "other@example.com", "name": "林小美"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["email"] == "mei@example.com"
    member.refresh_from_db()
    assert member.email == "mei@example.com"
