"""The member-only section and the private links: thin doors over the listing
selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from loyalty.listings.access import session_access_code_add
from loyalty.listings.selectors import (
    listing_rule_for_code,
    members_only_invitations,
    members_only_products,
)
from loyalty.listings.services import listing_access_grant
from loyalty.paging import page_links
from shop.catalog.selectors import product_cards


@require_safe
def members_only(request):
    """Member-only products this shopper may buy, as product cards.

    Guests without a private link are asked to log in or join; members with
    nothing to see are told how to unlock more.
    """
    shopper = request.shopper
    paginator = Paginator(
        members_only_products(shopper=shopper), settings.CATALOG_PAGE_SIZE
    )
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(_("This page of results does not exist.")) from error
    context = {
        **page_links(page),
        "products": product_cards(page.object_list, shopper=shopper),
        "invitations": members_only_invitations(shopper=shopper)
        if shopper.is_member
        else [],
        "noindex": True,
    }
    return render(request, "loyalty/listings/members_only.html", context)


@require_safe
def listing_access(request, code):
    """Open a private link: remember its code in the session (and, for a
    signed-in customer, on the account), then show its product or collection."""
    rule = listing_rule_for_code(code)
    if rule is None:
        raise Http404(_("This private link does not exist or has ended."))
    session_access_code_add(request, rule.access_code)
    if request.user.is_authenticated:
        listing_access_grant(rule=rule, user=request.user)
    target = rule.product if rule.product_id is not None else rule.category
    return redirect(target.get_absolute_url())
