"""The return status machine: states, and the moves allowed between them.

Only `returns.services.return_status_change` moves a status; each move writes
a `ReturnEvent` row (who, when, from, to, note).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_TRANSIT = "in_transit", _("On its way back")
    RECEIVED = "received", _("Received")
    INSPECTED = "inspected", _("Inspected")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


S = ReturnStatus
RETURN_TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.IN_TRANSIT, S.RECEIVED, S.CANCELLED, S.EXPIRED},
    S.IN_TRANSIT: {S.RECEIVED},
    # Units may arrive in several parcels: received stays received.
    S.RECEIVED: {S.RECEIVED, S.INSPECTED},
    # Closed without resolving only when nothing is left to refund (every unit
    # missing or the wrong item): `return_request_close` checks it.
    S.INSPECTED: {S.RESOLVED, S.CLOSED},
    S.RESOLVED: {S.CLOSED},
    S.REJECTED: set(),
    S.CLOSED: set(),
    S.CANCELLED: set(),
    S.EXPIRED: set(),
}
# The shopper may still withdraw the request before anything is shipped back.
SHOPPER_CANCELLABLE = {S.REQUESTED, S.APPROVED}
OPEN_STATUSES = {S.REQUESTED, S.APPROVED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED}


def return_can_move(current: str, target: str) -> bool:
    return target in RETURN_TRANSITIONS.get(current, set())
