"""The shopper's return pages (member area and guests)."""

from returns.views.create import create, created
from returns.views.pages import (
    cancel,
    detail,
    guest,
    guest_order,
    mark_shipped,
    return_list,
)

__all__ = [
    "cancel",
    "create",
    "created",
    "detail",
    "guest",
    "guest_order",
    "mark_shipped",
    "return_list",
]
