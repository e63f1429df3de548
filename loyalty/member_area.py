"""The loyalty programme's parts of the member area: menu links and a dashboard card.

Registered from `LoyaltyConfig.ready()` through the shop's member-area seam
(`shop.accounts.member_area`), so the shop never imports this app.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loyalty.credit.cards import credit_card
from shop.accounts.member_area import (
    DashboardCard,
    MenuLink,
    register_card,
    register_menu_link,
)


def _membership_card(request: HttpRequest) -> dict:
    # Imported here: this module is loaded from AppConfig.ready(), before the
    # models may be used.
    from loyalty.selectors.member import member_overview, progress_next_text

    overview = member_overview(user=request.user)
    return {
        "membership": overview.membership,
        "progress": overview.progress,
        "points": overview.points,
        "next_text": progress_next_text(overview.progress),
    }


def register_member_area_parts() -> None:
    for link in (
        MenuLink("membership", _("Membership"), "loyalty:membership", 35),
        MenuLink("points", _("Points history"), "loyalty:points", 40),
        MenuLink("tiers", _("Tier history"), "loyalty:tiers", 45),
        MenuLink(
            "plans",
            _("Paid membership"),
            "loyalty:plans",
            47,
            frozenset({"loyalty:plan_cancel", "loyalty:plan_refund"}),
        ),
        MenuLink("coupons", _("My coupons"), "loyalty:coupons", 46),
        MenuLink("members_only", _("Members only"), "loyalty:members_only", 48),
        MenuLink(
            "credit",
            _("Shopping credit"),
            "loyalty:credit",
            42,
            frozenset(
                {"loyalty:purchases", "loyalty:purchase", "loyalty:purchase_pay"}
            ),
        ),
    ):
        register_menu_link(link)
    # First on the dashboard: the member's tier and points are what they look for.
    register_card(
        DashboardCard(
            key="membership",
            template_name="loyalty/cards/membership.html",
            order=5,
            context=_membership_card,
        )
    )
    register_card(
        DashboardCard(
            key="credit",
            template_name="loyalty/credit/card.html",
            order=15,
            context=credit_card,
        )
    )
