"""The member area's menu and dashboard cards: a seam other apps plug into.

The member area at `/account/` shows a menu and, on the dashboard, a row of
cards. This app registers its own (profile, addresses, allauth's email and
password pages); apps built on the shop (loyalty: tier, points, credit; orders;
returns) register theirs from their `AppConfig.ready()`, without the shop
importing them:

    register_menu_link(MenuLink(
        key="points", label=_("Points"), url_name="loyalty:points", order=40,
    ))
    register_card(DashboardCard(
        key="points", template_name="loyalty/cards/points.html", order=20,
        context=points_card_context,
    ))

A card's `context(request)` returns the card template's context (given to the
template as `card`), or `None` to leave the card out for this member.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from shop.accounts.selectors import address_default


@dataclass(frozen=True, slots=True)
class DashboardCard:
    key: str
    template_name: str
    order: int = 100
    context: Callable[[HttpRequest], dict[str, Any] | None] | None = None


@dataclass(frozen=True, slots=True)
class MenuLink:
    key: str
    label: Any
    url_name: str
    order: int = 100
    # Other view names under which this link is the current page.
    also_current_for: frozenset[str] = field(default_factory=frozenset)


_cards: dict[str, DashboardCard] = {}
_menu: dict[str, MenuLink] = {}


def register_card(card: DashboardCard) -> None:
    """Add a dashboard card, or replace the one registered under the same key."""
    _cards[card.key] = card


def register_menu_link(link: MenuLink) -> None:
    """Add a menu link, or replace the one registered under the same key."""
    _menu[link.key] = link


def cards_for(request: HttpRequest) -> list[tuple[DashboardCard, dict[str, Any]]]:
    """The dashboard cards to show this member, in order, each with its context."""
    shown = []
    for card in sorted(_cards.values(), key=lambda c: (c.order, c.key)):
        context = card.context(request) if card.context else {}
        if context is not None:
            shown.append((card, context))
    return shown


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu links in order, with their URL and whether they are this page."""
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    links = []
    for link in sorted(_menu.values(), key=lambda m: (m.order, m.key)):
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            # A page of an app that is not installed (e.g. social accounts).
            continue
        links.append(
            {
                "key": link.key,
                "label": link.label,
                "url": url,
                "current": current == link.url_name or current in link.also_current_for,
            }
        )
    return links


def _profile_card(request: HttpRequest) -> dict[str, Any]:
    return {"user": request.user}


def _address_card(request: HttpRequest) -> dict[str, Any]:
    return {"address": address_default(user=request.user)}


def register_builtin_parts() -> None:
    register_card(
        DashboardCard(
            key="profile",
            template_name="accounts/cards/profile.html",
            order=50,
            context=_profile_card,
        )
    )
    register_card(
        DashboardCard(
            key="address",
            template_name="accounts/cards/address.html",
            order=60,
            context=_address_card,
        )
    )
    for link in (
        MenuLink("dashboard", _("Overview"), "accounts:dashboard", 10),
        MenuLink("profile", _("Profile"), "accounts:profile", 20),
        MenuLink(
            "addresses",
            _("Address book"),
            "accounts:addresses",
            30,
            frozenset(
                {
                    "accounts:address_add",
                    "accounts:address_edit",
                    "accounts:address_delete",
                }
            ),
        ),
        MenuLink("email", _("Email address"), "account_email", 80),
        MenuLink(
            "password",
            _("Password"),
            "account_change_password",
            85,
            frozenset({"account_set_password"}),
        ),
        MenuLink("connections", _("Linked accounts"), "socialaccount_connections", 88),
        MenuLink("logout", _("Log out"), "account_logout", 99),
    ):
        register_menu_link(link)
