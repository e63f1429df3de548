"""The member area's paid membership pages: plans, buy, cancel, refund.

Thin doors over `loyalty.plans.selectors` and `services`. Every page starts
from the signed-in member's own periods: a period or purchase of someone
else is a 404. Cancelling and buying are equally plain: the same button
style, one confirmation click, no pleading. After paying, the provider
returns the member to the purchase's page (`loyalty.purchases`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from loyalty.errors import PlanError
from loyalty.models import PaidMembership, PaidMembershipStatus, PurchaseKind
from loyalty.paging import page_get, page_links
from loyalty.plans import services
from loyalty.plans.forms import PlanBuyForm, gateway_choices
from loyalty.plans.periods import period_last_day
from loyalty.plans.selectors import (
    membership_plans_on_sale,
    paid_membership_history,
    paid_membership_refund_refusal,
    paid_membership_refund_until,
    paid_membership_state,
    plan_benefit_texts,
    plan_price_text,
)
from loyalty.purchases.services import purchase_payment_url, purchase_start
from loyalty.selectors.programme import programme
from shop.core.errors import ShopError

HISTORY_PAGE_SIZE = 20


def _last_day(paid: PaidMembership) -> str:
    return formats.date_format(period_last_day(paid.ends_at))


@require_safe
@login_required
def plans(request):
    state = paid_membership_state(user=request.user)
    page = page_get(
        request, paid_membership_history(user=request.user), HISTORY_PAGE_SIZE
    )
    periods = list(page.object_list)
    # The last day with benefits is what members are told, not the end instant.
    for period in (state.current, state.queued, *periods):
        if period is not None:
            period.last_day = period_last_day(period.ends_at)
    refundable = [
        {
            "period": period,
            "refund_until": period_last_day(paid_membership_refund_until(period)),
        }
        for period in (state.current, state.queued)
        if period is not None and not state.refund_refusals.get(period.pk)
    ]
    context = {
        "state": state,
        "plans": [
            {
                "plan": plan,
                "price": plan_price_text(plan),
                "benefits": plan_benefit_texts(plan),
            }
            for plan in membership_plans_on_sale()
        ],
        "gateways": gateway_choices(),
        "refundable": refundable,
        "refund_days": programme().paid_membership_refund_days,
        **page_links(page),
        "periods": periods,
    }
    return render(request, "loyalty/plans/plans.html", context)


@require_POST
@login_required
def plan_buy(request):
    """Start a purchase of the chosen plan and send the member to pay it."""
    form = PlanBuyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("loyalty:plans")
    plan = form.cleaned_data["plan"]
    try:
        services.paid_membership_purchase_check(user=request.user, plan=plan)
        purchase = purchase_start(
            user=request.user,
            kind=PurchaseKind.MEMBERSHIP,
            plan=plan,
            gateway_code=form.cleaned_data["gateway"],
        )
        url = purchase_payment_url(purchase=purchase, request=request)
    except ShopError as error:
        messages.error(request, error.message)
        return redirect("loyalty:plans")
    return redirect(url)


def _own_period(request, pk: int) -> PaidMembership:
    return get_object_or_404(
        PaidMembership.objects.select_related("plan", "purchase"),
        pk=pk,
        user_id=request.user.pk,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_cancel(request):
    """Confirm and cancel the member's membership at the end of its period."""
    period = paid_membership_state(user=request.user).last
    if period is None:
        messages.info(request, _("You have no paid membership to cancel."))
        return redirect("loyalty:plans")
    if period.status == PaidMembershipStatus.CANCELLED:
        messages.info(
            request,
            _(
                "Your membership is already cancelled. Its benefits hold through "
                "%(date)s."
            )
            % {"date": _last_day(period)},
        )
        return redirect("loyalty:plans")
    if request.method == "POST":
        try:
            period = services.paid_membership_cancel(
                paid_membership=period, actor=request.user
            )
        except PlanError as error:
            messages.error(request, error.message)
            return redirect("loyalty:plans")
        messages.success(
            request,
            _("Your membership is cancelled. Its benefits hold through %(date)s.")
            % {"date": _last_day(period)},
        )
        return redirect("loyalty:plans")
    return render(
        request,
        "loyalty/plans/cancel.html",
        {"period": period, "last_day": period_last_day(period.ends_at)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_refund(request, pk: int):
    """Confirm and refund one of the member's periods under the one-time rule."""
    period = _own_period(request, pk)
    refusal = paid_membership_refund_refusal(paid_membership=period)
    if refusal:
        messages.error(request, refusal)
        return redirect("loyalty:plans")
    if request.method == "POST":
        try:
            services.paid_membership_refund(paid_membership=period, actor=request.user)
        except ShopError as error:
            messages.error(request, error.message)
            return redirect("loyalty:plans")
        messages.success(
            request,
            _("Your membership was refunded; its benefits have ended."),
        )
        return redirect("loyalty:plans")
    return render(request, "loyalty/plans/refund.html", {"period": period})
