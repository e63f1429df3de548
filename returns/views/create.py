"""Asking for a return from an order, and the confirmation page after it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from returns.errors import ReturnError
from returns.forms import ReturnCreateForm, ReturnRequestForm
from returns.selectors import exchange_options
from returns.services import return_request_create
from returns.services.windows import line_return_windows
from returns.views.access import guest_grant, shopper_order
from returns.views.pages import (
    base_template,
    return_page_context,
    shopper_return_or_404,
)


def _guest_redirect(order_number: str):
    query = urlencode({"number": order_number})
    return redirect(f"{reverse('returns:guest')}?{query}")


# The bank account never goes into an error report (the admins' 500 email).
@sensitive_post_parameters(*ReturnRequestForm.BANK_FIELDS)
@require_http_methods(["GET", "HEAD", "POST"])
def create(request, order_number: str):
    """Choose lines, reasons, photos, the resolution and the return method."""
    access = shopper_order(request, order_number)
    if access is None:
        if not request.user.is_authenticated:
            messages.info(
                request,
                _("Enter the order number and email address to return its items."),
            )
            return _guest_redirect(order_number)
        raise Http404
    order = access.order
    windows = line_return_windows(order=order)
    form = ReturnCreateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        order=order,
        windows=windows,
        exchange_options=exchange_options(order=order),
        policy=order.return_policy,
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = return_request_create(
                order=order,
                user=access.user,
                email=access.email,
                **form.service_arguments(),
            )
        except ReturnError as error:
            form.add_service_error(error)
        else:
            if access.guest:
                guest_grant(request, order=order)
            return redirect("returns:created", number=created.number)
    context = {
        "order": order,
        "form": form,
        "windows": windows,
        "can_return": any(w.returnable_quantity for w in windows.values()),
        "policy": order.return_policy,
        "guest": access.guest,
        "base_template": base_template(access.guest),
        "order_url": (
            reverse("orders:guest_detail", kwargs={"number": order.number})
            if access.guest
            else order.get_absolute_url()
        ),
    }
    status = 400 if form.has_errors else 200
    return render(request, "returns/create.html", context, status=status)


@require_safe
def created(request, number: str):
    """The confirmation: the RMA number, what happens next, the expected refund."""
    return_request = shopper_return_or_404(request, number)
    context = return_page_context(request, return_request)
    return render(request, "returns/created.html", context)
