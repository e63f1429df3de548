"""The loyalty pages of the member area: membership, points history, tier history.

Thin doors over `loyalty.selectors.member`. Every page starts from the signed-in
member's own membership, made on first visit for an account older than the
programme, so there is no id in the URL to guess.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from loyalty.forms import PointsHistoryFilter
from loyalty.paging import page_get, page_links
from loyalty.selectors.member import (
    member_overview,
    points_history,
    progress_keep_text,
    progress_next_text,
    tier_benefits,
    tier_history,
)
from loyalty.selectors.programme import programme
from loyalty.services.membership import membership_ensure

PAGE_SIZE = 20


@require_safe
@login_required
def membership(request):
    overview = member_overview(user=request.user)
    context = {
        "membership": overview.membership,
        "progress": overview.progress,
        "points": overview.points,
        "next_text": progress_next_text(overview.progress),
        "keep_text": progress_keep_text(overview.progress),
        "benefits": tier_benefits(),
        "programme": programme(),
        "cooling_off_days": settings.COOLING_OFF_DAYS,
    }
    return render(request, "loyalty/membership.html", context)


@require_safe
@login_required
def points(request):
    member = membership_ensure(user=request.user)
    filterset = PointsHistoryFilter(
        request.GET or None, queryset=points_history(membership=member)
    )
    # An invalid filter is shown beside its field and left out of the query.
    page = page_get(request, filterset.qs, PAGE_SIZE)
    context = {
        "membership": member,
        "filterset": filterset,
        "form": filterset.form,
        "entries": page.object_list,
        **page_links(page),
    }
    return render(request, "loyalty/points.html", context)


@require_safe
@login_required
def tiers(request):
    member = membership_ensure(user=request.user)
    page = page_get(request, tier_history(membership=member), PAGE_SIZE)
    context = {
        "membership": member,
        "changes": page.object_list,
        **page_links(page),
    }
    return render(request, "loyalty/tiers.html", context)
