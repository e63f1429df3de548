"""My returns, page and API: one more return costs no more queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from returns.tests.factories import delivered_order, return_request_make

pytestmark = pytest.mark.django_db


def add_return(member):
    # Two lines per return, each on its own order: every relation is followed.
    order = delivered_order(user=member)
    return_request_make(order=order, quantity=2)
    return_request_make(order=order, line_index=1)


def queries(fetch) -> int:
    # A first fetch fills what is cached (the category menu), which adding
    # products in the factories empties.
    fetch()
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured)


def test_my_returns_page_costs_the_same_for_n_and_n_plus_1(client, member):
    def fetch():
        return client.get(reverse("returns:list"))

    add_return(member)
    add_return(member)
    with_n = queries(fetch)
    add_return(member)
    with_n_plus_1 = queries(fetch)

    assert len(fetch().context["return_requests"]) == 6
    assert with_n_plus_1 == with_n


def test_my_returns_api_costs_the_same_for_n_and_n_plus_1(member):
    api = APIClient()
    api.force_authenticate(member)

    def fetch():
        return api.get("/api/returns/")

    add_return(member)
    add_return(member)
    with_n = queries(fetch)
    add_return(member)
    with_n_plus_1 = queries(fetch)

    assert fetch().data["count"] == 6
    assert with_n_plus_1 == with_n
