"""A shopper's returns: the list, one return, cancelling it, saying it was sent.

Thin doors over `returns.selectors` and the services; `returns.views.access`
decides who may see what. Another shopper's return is a 404, never a 403
that would reveal it exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from returns.errors import ReturnError
from returns.models import ReturnRequest, ReturnStatus
from returns.selectors import (
    event_note_for_shopper,
    return_instructions,
    returns_for_user,
)
from returns.services import return_request_cancel, return_request_mark_shipped
from returns.services.refunds import refund_preview
from returns.status import OPEN_STATUSES
from returns.views.access import (
    can_act,
    can_cancel,
    guest_grant,
    order_returns_panel,
    shopper_order,
    shopper_return,
)
from shop.orders.forms import OrderLookupForm
from shop.orders.views import order_lookup_attempt

PAGE_SIZE = 10


def base_template(guest: bool) -> str:
    return "base.html" if guest else "accounts/base.html"


def _member(request):
    return request.user if request.user.is_authenticated else None


def shopper_return_or_404(request, number: str) -> ReturnRequest:
    found = shopper_return(request, number)
    if found is None:
        raise Http404
    return found


def _is_guest_view(request, return_request: ReturnRequest) -> bool:
    member = _member(request)
    return member is None or member.pk != return_request.user_id


def return_page_context(request, return_request: ReturnRequest) -> dict:
    """What the return page and the confirmation show."""
    guest = _is_guest_view(request, return_request)
    order = return_request.order
    open_request = return_request.status in OPEN_STATUSES
    return {
        "return_request": return_request,
        "order": order,
        "lines": list(return_request.lines.all()),
        "events": [
            (event, ReturnStatus(event.to_status).label, event_note_for_shopper(event))
            for event in return_request.events.all()
        ],
        "instructions": return_instructions(request=return_request),
        # The expected refund while it can still change; the refunds once made.
        "preview": refund_preview(request=return_request) if open_request else None,
        "refunds": list(return_request.refunds.all()),
        "can_cancel": can_cancel(request, return_request),
        "can_mark_shipped": return_request.status == ReturnStatus.APPROVED
        and can_act(request, return_request),
        "guest": guest,
        "base_template": base_template(guest),
        "order_url": (
            reverse("orders:guest_detail", kwargs={"number": order.number})
            if guest
            else order.get_absolute_url()
        ),
    }


@require_safe
@login_required
def return_list(request):
    """The member's returns, newest first, a page at a time."""
    paginator = Paginator(returns_for_user(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page_obj": page, "return_requests": page.object_list}
    return render(request, "returns/list.html", context)


def _not_found_or_lookup(request):
    if request.user.is_authenticated:
        raise Http404
    messages.info(
        request, _("Enter the order number and email address to see its returns.")
    )
    return redirect("returns:guest")


@require_safe
def detail(request, number: str):
    """One return: its status history, items, instructions and money."""
    found = shopper_return(request, number)
    if found is None:
        return _not_found_or_lookup(request)
    context = return_page_context(request, found)
    return render(request, "returns/detail.html", context)


@require_POST
def cancel(request, number: str):
    found = shopper_return(request, number)
    if found is None or not can_act(request, found):
        raise Http404
    try:
        return_request_cancel(request=found, user=_member(request))
    except ReturnError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Return %(number)s is cancelled.") % {"number": found.number}
        )
    return redirect("returns:detail", number=found.number)


@require_POST
def mark_shipped(request, number: str):
    """The shopper says the parcel has left, with an optional tracking number."""
    found = shopper_return(request, number)
    if found is None or not can_act(request, found):
        raise Http404
    try:
        return_request_mark_shipped(
            request=found,
            tracking_number=request.POST.get("tracking_number", ""),
            actor=_member(request),
        )
    except ReturnError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: we will let you know when it arrives."))
    return redirect("returns:detail", number=found.number)


@require_http_methods(["GET", "HEAD", "POST"])
def guest(request):
    """Prove an order with its number and email; every mismatch gets one answer."""
    form = OrderLookupForm(
        request.POST if request.method == "POST" else None,
        initial={"number": request.GET.get("number", "")[:20]},
    )
    if request.method == "POST" and form.is_valid():
        # The order lookup's own check: the two forms share one budget of tries.
        order = order_lookup_attempt(request, form)
        if order is not None:
            guest_grant(request, order=order)
            return redirect("returns:guest_order", order_number=order.number)
    status = 400 if form.errors else 200
    return render(request, "returns/guest.html", {"form": form}, status=status)


@require_safe
def guest_order(request, order_number: str):
    """A proved order's returns, and the button to ask for one."""
    access = shopper_order(request, order_number)
    if access is None:
        return _not_found_or_lookup(request)
    order = access.order
    panel = order_returns_panel(request, order=order, guest=access.guest)
    context = {
        "order": order,
        "panel": panel
        or {
            "can_return": False,
            "requests": [],
            "not_delivered": order.delivered_at is None,
        },
        "guest": access.guest,
        "base_template": base_template(access.guest),
    }
    return render(request, "returns/guest_order.html", context)
