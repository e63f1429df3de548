"""Cart pages: thin doors over the cart services; every form posts and redirects."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shop.cart import services
from shop.cart.errors import CartError
from shop.cart.forms import AddToCartForm, CartLineForm
from shop.cart.selectors import cart_summary
from shop.cart.storage import CartRef
from shop.checkout.selectors import shipping_method_chosen, shipping_methods_active


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _form_error_message(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("Please check the form.")


@require_safe
def detail(request):
    methods = list(shipping_methods_active())
    method = shipping_method_chosen(code=request.GET.get("shipping"), methods=methods)
    summary = cart_summary(
        shopper=request.shopper,
        cart=CartRef.for_request(request),
        shipping_method=method,
    )
    return render(
        request,
        "cart/detail.html",
        {
            "summary": summary,
            "quote": summary.quote,
            "shipping_methods": methods,
            "shipping_method": method,
            "noindex": True,
        },
    )


@require_POST
def add(request):
    back = _safe_next(request, reverse("cart:detail"))
    if request.POST.get("action") == "show":
        # The no-JavaScript picker: show the product page for the chosen options.
        options = {
            name: request.POST[name]
            for name in ("option1", "option2")
            if request.POST.get(name)
        }
        return redirect(f"{back}?{urlencode(options)}" if options else back)
    form = AddToCartForm(request.POST, shopper=request.shopper)
    if not form.is_valid():
        messages.error(request, _form_error_message(form))
        return redirect(back)
    try:
        services.cart_add(
            shopper=request.shopper,
            cart=CartRef.for_request(request),
            variant_id=form.cleaned_data["variant_id"],
            quantity=form.cleaned_data["quantity"],
        )
    except CartError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("Added to your cart."))
    return redirect("cart:detail")


@require_POST
def update(request):
    form = CartLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error_message(form))
        return redirect("cart:detail")
    quantity = form.cleaned_data["quantity"]
    try:
        services.cart_set_quantity(
            shopper=request.shopper,
            cart=CartRef.for_request(request),
            variant_id=form.cleaned_data["variant"],
            quantity=0 if quantity is None else quantity,
        )
    except CartError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your cart has been updated."))
    return redirect(_safe_next(request, reverse("cart:detail")))


@require_POST
def remove(request):
    form = CartLineForm(request.POST)
    if form.is_valid():
        services.cart_remove(
            cart=CartRef.for_request(request), variant_id=form.cleaned_data["variant"]
        )
        messages.success(request, _("The item has been removed from your cart."))
    else:
        messages.error(request, _form_error_message(form))
    return redirect(_safe_next(request, reverse("cart:detail")))
