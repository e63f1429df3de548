"""Staff logins for the back office and staff API tests (`desk` and `merchant`
are the returns tests' own, in `returns/tests/conftest.py`)."""

import pytest

from returns.tests.factories import login


@pytest.fixture
def desk_client(client, desk):
    """A client signed in to the back office as Returns staff."""
    login(client, desk)
    return client
