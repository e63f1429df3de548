"""The orders' parts of the member area: a menu link and a "Recent orders" card."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shop.accounts.member_area import (
    DashboardCard,
    MenuLink,
    register_card,
    register_menu_link,
)

RECENT_ORDERS = 3


def _recent_orders_card(request: HttpRequest) -> dict:
    from shop.orders.selectors import orders_for_user

    return {"orders": list(orders_for_user(user=request.user)[:RECENT_ORDERS])}


def register_member_area_parts() -> None:
    register_menu_link(
        MenuLink(
            "orders",
            _("My orders"),
            "orders:history",
            15,
            frozenset({"orders:detail"}),
        )
    )
    register_card(
        DashboardCard(
            key="orders",
            template_name="orders/cards/recent.html",
            order=10,
            context=_recent_orders_card,
        )
    )
