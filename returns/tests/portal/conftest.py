import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language, whatever the .po files say."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def member(db, english_client):
    """A signed-in member (the `client` acts as them)."""
    from loyalty.tests.factories import member_create

    user = member_create(email="shopper@example.com")
    english_client.force_login(user)
    return user


@pytest.fixture
def order(member):
    """The member's order, delivered yesterday: 1280 × 2 and 450 × 1, by card."""
    from returns.tests.factories import delivered_order

    return delivered_order(user=member)
