"""Helpers of the staff tests: query counts, rows of the queue, page messages."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

QUEUE_URL = "admin:returns_returnrequest_changelist"


def queries_of(client, url, params=None) -> int:
    """How many queries one GET of `url` costs (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200
    return len(captured)


def queue_numbers(client, **params) -> list[str]:
    """The RMA numbers the queue lists with `params`, in the queue's order."""
    response = client.get(reverse(QUEUE_URL), params)
    assert response.status_code == 200
    return [row.number for row in response.context["cl"].result_list]


def messages_of(response) -> list[str]:
    """The messages the staff member sees after `response`, oldest first.

    A redirect does not show its messages: they wait, with those the next
    page adds, until a page shows them.
    """
    storage = get_messages(response.wsgi_request)
    return [str(m) for m in [*storage._loaded_messages, *storage._queued_messages]]


def page_url(request, move: str) -> str:
    return reverse(f"admin:returns_returnrequest_{move}", args=[request.pk])


def change_url(request) -> str:
    return reverse("admin:returns_returnrequest_change", args=[request.pk])
