"""Checkout pages after placing: the confirmation, paying online, the sandbox provider.

Only orders this shopper may see are shown (`order_for_shopper`): their own
account's, or ones placed in this session.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.checkout import session as checkout_session
from shop.checkout.errors import NotificationRejected, PaymentError
from shop.checkout.payments import payment_gateway
from shop.checkout.payments.sandbox import SandboxCardGateway
from shop.checkout.payments.services import payment_notification_process, payment_retry
from shop.checkout.selectors import order_for_shopper
from shop.orders.models import Payment
from shop.orders.status import OrderStatus, PaymentStatus


def _order_or_404(request, number):
    order = order_for_shopper(
        number=number,
        user=request.user,
        session_numbers=checkout_session.placed_numbers(request.session),
    )
    if order is None:
        raise Http404(_("No such order."))
    return order


def done(request, number):
    """The confirmation: what was ordered and what happens next for this payment."""
    order = _order_or_404(request, number)
    payment = next(iter(order.payments.all()), None)
    try:
        gateway = payment_gateway(order.payment_method)
    except PaymentError:
        gateway = None
    start = None
    can_pay_online = False
    if gateway is not None and payment is not None:
        if getattr(gateway, "receives_notifications", False):
            can_pay_online = payment.status in (
                PaymentStatus.PENDING,
                PaymentStatus.FAILED,
            ) and (order.status == OrderStatus.PENDING_PAYMENT)
        elif payment.status == PaymentStatus.PENDING:
            start = gateway.start(order, payment, request)
    return render(
        request,
        "checkout/done.html",
        {
            "order": order,
            "payment": payment,
            "gateway": gateway,
            "start": start,
            "can_pay_online": can_pay_online,
            "noindex": True,
        },
    )


@require_POST
def pay(request, number):
    """Start (or retry) paying an order online: back to the provider's page."""
    order = _order_or_404(request, number)
    try:
        gateway = payment_gateway(order.payment_method)
        payment = payment_retry(order=order)
    except PaymentError as error:
        messages.error(request, error.message)
        return redirect("checkout:done", number=order.number)
    start = gateway.start(order, payment, request)
    return redirect(start.redirect_url or reverse("checkout:done", args=[order.number]))


def _sandbox_payment(token):
    parsed = SandboxCardGateway.payment_id_from_token(token)
    if parsed is None:
        raise Http404(_("This payment link is not valid or has expired."))
    code, payment_id = parsed
    try:
        gateway = payment_gateway(code)
    except PaymentError as error:
        raise Http404(error.message) from error
    if not isinstance(gateway, SandboxCardGateway):
        raise Http404(_("This payment link is not valid or has expired."))
    payment = Payment.objects.select_related("order").filter(pk=payment_id).first()
    if payment is None:
        raise Http404(_("This payment link is not valid or has expired."))
    return gateway, payment


@require_http_methods(["GET", "POST"])
def sandbox_pay(request, token):
    """The sandbox provider's "hosted page": pay or fail, then back to the shop."""
    gateway, payment = _sandbox_payment(token)
    order = payment.order
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome not in ("paid", "failed"):
            messages.error(request, _("Choose Pay or Fail."))
            return redirect("checkout:sandbox_pay", token=token)
        body, headers = gateway.simulate(payment=payment, outcome=outcome)
        try:
            notice = gateway.verify_payload(body=body, headers=headers)
            result = payment_notification_process(gateway=gateway, notice=notice)
        except NotificationRejected as error:
            messages.error(request, error.message)
        else:
            if result.outcome == result.Outcome.FAILED:
                messages.error(request, _("The payment failed. You can try again."))
            elif result.outcome == result.Outcome.PAID:
                messages.success(
                    request, _("Thank you, your payment has been received.")
                )
        return redirect("checkout:done", number=order.number)
    return render(
        request,
        "checkout/sandbox_pay.html",
        {
            "order": order,
            "payment": payment,
            "gateway": gateway,
            "payable": payment.status in (PaymentStatus.PENDING, PaymentStatus.FAILED),
            "noindex": True,
        },
    )
