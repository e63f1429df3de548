"""Panels other apps add to a shopper's order page: a seam they plug into.

The order page (a member's, or a guest's after the lookup) shows the order's
own sections, then any panels registered here, e.g. the returns app's "Return
items" button with the order's return requests. Apps built on the shop
register theirs from their `AppConfig.ready()`, so the shop never imports them:

    register_order_panel(OrderPanel(
        key="returns", template_name="returns/panels/order.html", order=10,
        context=returns_panel_context,
    ))

A panel's `context(request, order, guest)` returns the panel template's
context (given to the template as `panel`), or `None` to leave the panel out
for this order; `guest` is True on the guest page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class OrderPanel:
    key: str
    template_name: str
    order: int = 100
    context: Callable[[HttpRequest, Any, bool], dict[str, Any] | None] | None = None


_panels: dict[str, OrderPanel] = {}


def register_order_panel(panel: OrderPanel) -> None:
    """Add an order-page panel, or replace the one registered under the same key."""
    _panels[panel.key] = panel


def order_panels_for(
    request: HttpRequest, *, order, guest: bool = False
) -> list[tuple[OrderPanel, dict[str, Any]]]:
    """The panels to show on `order`'s page, in order, each with its context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, order, guest) if panel.context else {}
        if context is not None:
            shown.append((panel, context))
    return shown
