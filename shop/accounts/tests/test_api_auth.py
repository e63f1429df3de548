import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shop.accounts.tests.factories import UserFactory

TOKEN_URL = "/api/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The token endpoint is throttled per address, and the cache outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return APIClient(headers={"Accept-Language": "en"})


def test_token_for_email_and_password(client, db):
    user = UserFactory(email="mei@example.com")

    response = client.post(
        TOKEN_URL, {"email": "Mei@Example.com", "password": "correct-horse-42"}
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_asking_twice_returns_the_same_token(client, db):
    UserFactory(email="mei@example.com")
    payload = {"email": "mei@example.com", "password": "correct-horse-42"}

    first = client.post(TOKEN_URL, payload).json()["token"]
    second = client.post(TOKEN_URL, payload).json()["token"]

    assert first == second
    assert Token.objects.count() == 1


def test_wrong_password_is_a_clear_400(client, db):
    UserFactory(email="mei@example.com")

    response = client.post(TOKEN_URL, {"email": "mei@example.com", "password": "nope"})

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The email address or the password is not correct."]
    }
    assert Token.objects.count() == 0


def test_inactive_member_gets_no_token(client, db):
    UserFactory(email="gone@example.com", is_active=False)

    response = client.post(
        TOKEN_URL, {"email": "gone@example.com", "password": "correct-horse-42"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The email address or the password is not correct."]
    }


def test_missing_fields_are_named(client, db):
    response = client.post(TOKEN_URL, {"email": "not-an-email"})

    assert response.status_code == 400
    assert response.json() == {
        "email": ["Enter a valid email address."],
        "password": ["This field is required."],
    }


def test_unverified_email_is_refused_when_verification_is_mandatory(
    client, db, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    UserFactory(email="new@example.com")

    response = client.post(
        TOKEN_URL, {"email": "new@example.com", "password": "correct-horse-42"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Confirm your email address before signing in."]
    }


def test_token_authenticates_later_requests(client, db):
    user = UserFactory(email="mei@example.com")
    token = Token.objects.create(user=user)

    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/me/")

    assert response.status_code == 200
    assert response.json()["email"] == "mei@example.com"


def test_delete_revokes_the_token(client, db):
    user = UserFactory()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.delete(TOKEN_URL)

    assert response.status_code == 204
    assert Token.objects.filter(user=user).exists() is False
    assert client.get("/api/me/").status_code == 401


def test_delete_needs_a_signed_in_member(client, db):
    response = client.delete(TOKEN_URL)

    assert response.status_code == 401


def test_bad_token_is_401(client, db):
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/me/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_password_guessing_is_throttled(client, db):
    UserFactory(email="mei@example.com")
    payload = {"email": "mei@example.com", "password": "guess"}

    statuses = [client.post(TOKEN_URL, payload).status_code for _ in range(11)]

    assert statuses == [400] * 10 + [429]
