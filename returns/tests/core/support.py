"""Shared pieces of the returns core tests: the shop's clock, sent emails, a
return at any status with its events and units."""

from datetime import datetime
from zoneinfo import ZoneInfo

from returns.models import ReturnEvent, ReturnStatus, ReturnUnit
from returns.tests.factories import return_request_make

TAIPEI = ZoneInfo("Asia/Taipei")


def taipei(text: str) -> datetime:
    """`2026-11-30 10:00` on the shop's clock (Asia/Taipei)."""
    return datetime.fromisoformat(text).replace(tzinfo=TAIPEI)


def html_of(message) -> str:
    [html] = [body for body, kind in message.alternatives if kind == "text/html"]
    return html


def make(status, **kw):
    """A return at `status`; one that resolves without a refund is an exchange."""
    if status in (ReturnStatus.RESOLVED, ReturnStatus.CLOSED):
        kw.setdefault("resolution", "exchange")
    return return_request_make(status=status, **kw)


def statuses(request):
    """The (from, to) status pairs of `request`'s events, oldest first."""
    return list(
        ReturnEvent.objects.filter(request=request)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


def units_of(request):
    return list(ReturnUnit.objects.filter(line__request=request).order_by("pk"))
