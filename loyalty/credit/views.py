"""The member's shopping-credit page and buying a top-up.

Thin doors over `loyalty.credit.selectors` and `loyalty.purchases.services`;
the page starts from the signed-in member's own membership, so there is no
id in the URL to guess.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from loyalty.credit.adjusters import cap_rule_text
from loyalty.credit.forms import CreditHistoryFilter, TopUpBuyForm
from loyalty.credit.selectors import credit_history, credit_summary, topup_plans_on_sale
from loyalty.errors import PurchaseError
from loyalty.models import PurchaseKind
from loyalty.paging import page_get, page_links
from loyalty.purchases.gateways import purchase_gateways
from loyalty.purchases.selectors import purchases_of
from loyalty.purchases.services import purchase_payment_url, purchase_start
from loyalty.services.membership import membership_ensure

PAGE_SIZE = 20
PURCHASES_SHOWN = 5


@require_safe
@login_required
def credit(request):
    membership = membership_ensure(user=request.user)
    filterset = CreditHistoryFilter(
        request.GET or None, queryset=credit_history(membership=membership)
    )
    page = page_get(request, filterset.qs, PAGE_SIZE)
    gateways = purchase_gateways()
    plans = list(topup_plans_on_sale())
    context = {
        "membership": membership,
        "summary": credit_summary(membership=membership),
        "rule": cap_rule_text(),
        "filterset": filterset,
        "form": filterset.form,
        **page_links(page),
        "entries": page.object_list,
        "plans": plans,
        "gateways": gateways,
        "purchases": list(purchases_of(user=request.user)[:PURCHASES_SHOWN]),
        "purchases_shown": PURCHASES_SHOWN,
    }
    return render(request, "loyalty/credit/credit.html", context)


@require_POST
@login_required
def topup_buy(request):
    """Start a top-up and send the member to pay it."""
    form = TopUpBuyForm(
        request.POST, plans=topup_plans_on_sale(), gateways=purchase_gateways()
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
            break
        return redirect("loyalty:credit")
    try:
        purchase = purchase_start(
            user=request.user,
            kind=PurchaseKind.TOPUP,
            plan=form.cleaned_data["plan"],
            gateway_code=form.cleaned_data["gateway"],
        )
        url = purchase_payment_url(purchase=purchase, request=request)
    except PurchaseError as error:
        messages.error(request, error.message)
        return redirect("loyalty:credit")
    return redirect(url)
