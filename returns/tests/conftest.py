"""Fixtures every returns test folder shares."""

import pytest


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language, whatever the .po files say."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def staff(db):
    """A staff member handling returns."""
    from returns.tests.factories import staff_user

    return staff_user(email="returns-desk@example.com")


@pytest.fixture
def member(db):
    """A customer with a membership."""
    from loyalty.tests.factories import member_create

    return member_create(email="amy@example.com", name="Amy")


@pytest.fixture
def desk(db):
    """A member of the Returns staff role: may see the dashboard, not clear flags."""
    from returns.tests.factories import staff_in
    from shop.core.roles import RETURNS_STAFF

    return staff_in(RETURNS_STAFF, "desk@example.com")


@pytest.fixture
def merchant(db):
    """A member of the Merchant role."""
    from returns.tests.factories import staff_in
    from shop.core.roles import MERCHANT

    return staff_in(MERCHANT, "owner@example.com")
