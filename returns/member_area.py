"""The returns app's parts of the shopper's pages: a menu link and an order panel.

Registered from `ReturnsConfig.ready()` through the shop's seams
(`shop.accounts.member_area` for the member-area menu, `shop.orders.order_page`
for the order page), so the shop never imports this app.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shop.accounts.member_area import MenuLink, register_menu_link
from shop.orders.order_page import OrderPanel, register_order_panel


def _order_panel(request: HttpRequest, order, guest: bool) -> dict | None:
    # Imported here: this module is loaded from AppConfig.ready(), before the
    # models may be used.
    from returns.views.access import order_returns_panel

    return order_returns_panel(request, order=order, guest=guest)


def register() -> None:
    register_menu_link(
        MenuLink(
            "returns",
            _("Returns"),
            "returns:list",
            17,
            frozenset({"returns:detail", "returns:create", "returns:created"}),
        )
    )
    register_order_panel(
        OrderPanel(
            key="returns",
            template_name="returns/panels/order.html",
            order=10,
            context=_order_panel,
        )
    )
