"""Member order pages and the guest order lookup: thin doors over the selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shop.orders import selectors
from shop.orders.forms import OrderLookupForm
from shop.orders.models import Order
from shop.orders.order_page import order_panels_for

HISTORY_PAGE_SIZE = 10
# The session key holding the numbers of orders this browser has proved it may see.
SESSION_KEY = "orders_looked_up"


def guest_order_grant(request, *, order: Order) -> None:
    """Let this session see `order` without signing in (after checkout or lookup)."""
    numbers = list(request.session.get(SESSION_KEY, []))
    if order.number not in numbers:
        # A handful is plenty; an old session cannot grow without end.
        request.session[SESSION_KEY] = (numbers + [order.number])[-20:]


def _detail_context(order: Order) -> dict:
    summary = selectors.order_summary(order=order)
    # The account the shopper was told at placement (stored on the payment); the
    # merchant may have changed the setting since.
    bank = summary.payment.data.get("bank") if summary.payment is not None else None
    return {
        "order": order,
        "summary": summary,
        "timeline": selectors.order_timeline(order=order),
        "bank": bank or getattr(settings, "ATM_BANK_ACCOUNT", {}),
    }


@require_safe
@login_required
def history(request):
    paginator = Paginator(
        selectors.orders_for_user(user=request.user), HISTORY_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "orders/history.html", {"page_obj": page, "orders": page})


@require_safe
@login_required
def detail(request, number: str):
    try:
        order = selectors.order_for_member(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404 from None
    context = {
        **_detail_context(order),
        "base_template": "accounts/base.html",
        "panels": order_panels_for(request, order=order),
    }
    return render(request, "orders/detail.html", context)


def _attempt_keys(request, number: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    return [f"orders:lookup:ip:{address}", f"orders:lookup:number:{number.upper()}"]


def _too_many_attempts(keys: list[str]) -> bool:
    limit = getattr(settings, "ORDER_LOOKUP_MAX_ATTEMPTS", 10)
    return any((cache.get(key) or 0) >= limit for key in keys)


def _count_failure(keys: list[str]) -> None:
    window = getattr(settings, "ORDER_LOOKUP_WINDOW_SECONDS", 15 * 60)
    for key in keys:
        # add() starts the window; incr() keeps its expiry.
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)


def order_lookup_attempt(request, form: OrderLookupForm) -> Order | None:
    """The order a valid lookup `form` names, or None with the form's error.

    Failed attempts are counted by address and by order number, so every form
    that proves an order by number and email shares one budget of tries, and
    every mismatch gets the same answer.
    """
    number = form.cleaned_data["number"].strip().upper()
    keys = _attempt_keys(request, number)
    if _too_many_attempts(keys):
        form.add_error(None, _("Too many attempts. Please try again in a few minutes."))
        return None
    order = selectors.order_lookup(number=number, email=form.cleaned_data["email"])
    if order is None:
        _count_failure(keys)
        form.add_error(
            None, _("We could not find an order with that number and email address.")
        )
    return order


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request):
    """Find an order by number and email; every mismatch gets the same answer."""
    form = OrderLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = order_lookup_attempt(request, form)
        if order is not None:
            guest_order_grant(request, order=order)
            return redirect("orders:guest_detail", number=order.number)
    status = 400 if form.errors else 200
    return render(request, "orders/lookup.html", {"form": form}, status=status)


@require_safe
def guest_detail(request, number: str):
    """The order page for a browser that looked the order up (or just placed it)."""
    if number not in request.session.get(SESSION_KEY, []):
        messages.info(request, _("Enter the order number and email address to see it."))
        return redirect("orders:lookup")
    order = selectors.orders_with_details().filter(number=number).first()
    if order is None:
        raise Http404
    context = {
        **_detail_context(order),
        "guest": True,
        "base_template": "base.html",
        "panels": order_panels_for(request, order=order, guest=True),
    }
    return render(request, "orders/detail.html", context)
