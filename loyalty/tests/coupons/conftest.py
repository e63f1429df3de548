"""Fixtures of the coupon tests."""

import pytest

from loyalty.tests.factories import member_create


@pytest.fixture
def user():
    """A member in the base tier, with no coupons yet."""
    return member_create(email="buyer@example.com")
