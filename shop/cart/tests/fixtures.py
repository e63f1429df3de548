"""Fixtures shared by the cart and checkout tests (imported by both conftests)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from shop.cart.storage import CartRef
from shop.core.shopper import PublicShopper


@pytest.fixture(autouse=True)
def english_messages():
    # Messages are asserted in English whatever translations the catalogue has.
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def api_client():
    return APIClient(headers={"Accept-Language": "en"})


@pytest.fixture
def shopper():
    return PublicShopper()


@pytest.fixture
def session(db):
    store = SessionStore()
    store.create()
    return store


@pytest.fixture
def guest_cart(session):
    return CartRef(session=session)


@pytest.fixture
def member(db):
    from shop.accounts.tests.factories import UserFactory

    return UserFactory(email="member@example.com", name="林小美", phone="+886912345678")


@pytest.fixture
def member_cart(member):
    return CartRef(user=member)


@pytest.fixture
def member_shopper(member):
    return PublicShopper(member)
