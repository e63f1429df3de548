"""The member's purchases (top-ups, paid membership) and the sandbox provider's page.

A member sees only their own purchases (looked up with their account). The
sandbox page stands in for a card provider's hosted page: its Pay and Fail
buttons make the notice the provider would send, signed, and run it through
the same verification and processing as the notify endpoint.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from loyalty.errors import PurchaseError
from loyalty.models import CreditEntry, Purchase, PurchaseKind, PurchaseStatus
from loyalty.paging import page_get, page_links
from loyalty.purchases.gateways import (
    purchase_gateway,
    sandbox_notice,
    sandbox_token_read,
)
from loyalty.purchases.selectors import purchase_of, purchases_of
from loyalty.purchases.services import (
    NoticeResult,
    purchase_notification_process,
    purchase_payment_url,
)
from shop.checkout.errors import NotificationRejected
from shop.checkout.payments.sandbox import SandboxCardGateway

PAGE_SIZE = 20


def purchase_return_url(purchase: Purchase) -> str:
    """Where the member lands after paying: the page of what they bought.

    A membership purchase's own page is the paid membership app's (when it
    has one); every purchase has this app's page.
    """
    if purchase.kind == PurchaseKind.MEMBERSHIP:
        try:
            return reverse("loyalty:plan_purchase", args=[purchase.number])
        except NoReverseMatch:
            pass
    return reverse("loyalty:purchase", args=[purchase.number])


def _own_or_404(request, number) -> Purchase:
    purchase = purchase_of(user=request.user, number=number)
    if purchase is None:
        raise Http404(_("No such purchase."))
    return purchase


@require_safe
@login_required
def purchase_list(request):
    page = page_get(request, purchases_of(user=request.user), PAGE_SIZE)
    context = {
        **page_links(page),
        "purchases": page.object_list,
    }
    return render(request, "loyalty/purchases/list.html", context)


@require_safe
@login_required
def purchase_detail(request, number):
    purchase = _own_or_404(request, number)
    entries = list(
        CreditEntry.objects.filter(purchase=purchase).order_by("created_at", "id")
    )
    context = {
        "purchase": purchase,
        "entries": entries,
        "payable": purchase.status in (PurchaseStatus.PENDING, PurchaseStatus.FAILED),
        "is_topup": purchase.kind == PurchaseKind.TOPUP,
    }
    return render(request, "loyalty/purchases/detail.html", context)


@require_POST
@login_required
def purchase_pay(request, number):
    """Pay a purchase still waiting for it (again after a failed attempt)."""
    purchase = _own_or_404(request, number)
    try:
        url = purchase_payment_url(purchase=purchase, request=request)
    except PurchaseError as error:
        messages.error(request, error.message)
        return redirect("loyalty:purchase", number=purchase.number)
    return redirect(url)


def _sandbox_purchase(token) -> tuple[SandboxCardGateway, Purchase]:
    parsed = sandbox_token_read(token)
    invalid = _("This payment link is not valid or has expired.")
    if parsed is None:
        raise Http404(invalid)
    code, purchase_id = parsed
    try:
        gateway = purchase_gateway(code)
    except PurchaseError as error:
        raise Http404(invalid) from error
    purchase = Purchase.objects.filter(pk=purchase_id, gateway=code).first()
    if not isinstance(gateway, SandboxCardGateway) or purchase is None:
        raise Http404(invalid)
    return gateway, purchase


@require_http_methods(["GET", "POST"])
def sandbox_pay(request, token):
    """The sandbox provider's "hosted page" for a purchase: pay or fail."""
    gateway, purchase = _sandbox_purchase(token)
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome not in ("paid", "failed"):
            messages.error(request, _("Choose Pay or Fail."))
            return redirect("loyalty:purchase_sandbox_pay", token=token)
        body, headers = sandbox_notice(
            gateway=gateway, purchase=purchase, outcome=outcome
        )
        try:
            notice = gateway.verify_payload(body=body, headers=headers)
            result = purchase_notification_process(gateway=gateway, notice=notice)
        except NotificationRejected as error:
            messages.error(request, error.message)
        else:
            if result.outcome == NoticeResult.FAILED:
                messages.error(request, _("The payment failed. You can try again."))
            elif result.outcome == NoticeResult.PAID:
                messages.success(
                    request, _("Thank you, your payment has been received.")
                )
        return redirect(purchase_return_url(purchase))
    return render(
        request,
        "loyalty/purchases/sandbox_pay.html",
        {
            "purchase": purchase,
            "gateway": gateway,
            "return_url": purchase_return_url(purchase),
            "payable": purchase.status
            in (PurchaseStatus.PENDING, PurchaseStatus.FAILED),
            "noindex": True,
        },
    )
