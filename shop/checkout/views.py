"""Checkout pages: details → delivery → review → placed. Each step posts and redirects.

What the shopper entered is kept in the session (`shop.checkout.session`)
between steps and checked again by `order_place`. Works without JavaScript.
The pages after placing (confirmation, paying online, the sandbox provider's
page) are in `shop.checkout.payment_views`.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.accounts.errors import AccountsError
from shop.accounts.selectors import address_list
from shop.accounts.services import address_create
from shop.accounts.validators import display_phone
from shop.cart.selectors import cart_summary
from shop.cart.storage import CartRef
from shop.checkout import session as checkout_session
from shop.checkout.details import (
    ShippingDetails,
    contact_validate,
    shipping_address_values,
    shipping_validate,
)
from shop.checkout.errors import CheckoutError, PaymentError
from shop.checkout.forms import (
    AddressForm,
    CheckoutOptionForm,
    DetailsForm,
    PlaceOrderForm,
    StoreForm,
    member_details_initial,
)
from shop.checkout.payments import payment_gateway
from shop.checkout.policies import return_policy_text
from shop.checkout.selectors import (
    order_for_idempotency_key,
    shipping_method_get,
)
from shop.checkout.services import order_place
from shop.orders.services import order_payment_open

# Error codes that mean the cart itself must change before checking out.
CART_PROBLEMS = {"out_of_stock", "unavailable", "empty", "invalid_quantity"}


class _Redirect(Exception):
    def __init__(self, to: str, message: str = ""):
        self.to = to
        self.message = message


def _member(request):
    user = request.user
    return user if user.is_authenticated else None


def _checkable_cart(request, *, shipping_method=None, options=None):
    """The cart summary, or a redirect to the cart when it cannot be checked out.

    `options` are the choices made at review (see `option`); an adjuster that
    cannot honour one raises CheckoutError.
    """
    summary = cart_summary(
        shopper=request.shopper,
        cart=CartRef.for_request(request),
        shipping_method=shipping_method,
        options=options,
    )
    if summary.is_empty:
        raise _Redirect(reverse("cart:detail"), _("Your cart is empty."))
    if not summary.can_check_out:
        raise _Redirect(
            reverse("cart:detail"), _("Please fix the items marked in your cart first.")
        )
    return summary


def _contact_and_method(request, state):
    """The contact and shipping method from step 1, or a redirect back to it."""
    user = _member(request)
    method = shipping_method_get(code=state.get("shipping_method"))
    try:
        contact = contact_validate(
            email=user.email if user else state.get("email", ""),
            name=state.get("name", ""),
            phone=state.get("phone", ""),
        )
    except CheckoutError:
        contact = None
    if contact is None or method is None or not state.get("payment_method"):
        raise _Redirect(reverse("checkout:start"))
    return contact, method


def _shipping_from_state(request, state, contact, method) -> ShippingDetails:
    """The delivery details from step 2, checked again, or a redirect back to it."""
    user = _member(request)
    values: dict = {}
    if method.needs_address:
        address_id = state.get("address_id")
        if user is not None and address_id:
            address = address_list(user=user).filter(pk=address_id).first()
            if address is not None:
                values = shipping_address_values(address)
        elif user is None:
            values = dict(state.get("address") or {})
    elif method.needs_store:
        store = state.get("store") or {}
        values = {
            "store_code": store.get("code", ""),
            "store_name": store.get("name", ""),
        }
    try:
        return shipping_validate(method=method, contact=contact, **values)
    except CheckoutError as error:
        raise _Redirect(reverse("checkout:delivery"), error.message) from error


def _review_cart(request, state, method):
    """The cart priced with the options chosen at review: (summary, options, dropped).

    An option that no longer fits (the points were spent elsewhere, the cart
    shrank below the minimum) is dropped from the session with its message
    shown, and the cart priced without it; `dropped` tells the caller not to
    place the order for a total the shopper has not seen.
    """
    options = dict(state.get("options") or {})
    dropped = False
    while True:
        try:
            summary = _checkable_cart(request, shipping_method=method, options=options)
        except CheckoutError as error:
            if not options:
                raise
            if error.field in options:
                options.pop(error.field)
            else:
                options = {}
            checkout_session.state_update(request.session, options=options)
            messages.error(request, error.message)
            dropped = True
            continue
        return summary, options, dropped


def _follow(request, redirect_: _Redirect):
    if redirect_.message:
        messages.error(request, redirect_.message)
    return redirect(redirect_.to)


@require_http_methods(["GET", "POST"])
def details(request):
    """Step 1: contact, shipping method, payment method."""
    state = checkout_session.state_get(request.session)
    method_code = request.GET.get("shipping") or state.get("shipping_method")
    try:
        summary = _checkable_cart(
            request, shipping_method=shipping_method_get(code=method_code)
        )
    except _Redirect as redirect_:
        return _follow(request, redirect_)
    user = _member(request)
    initial = member_details_initial(user) if user else {}
    initial.update(
        {
            key: state[key]
            for key in ("email", "name", "phone", "payment_method", "customer_note")
            if state.get(key)
        }
    )
    if method_code:
        initial["shipping_method"] = method_code
    form = DetailsForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        method = form.cleaned_data["shipping_method"]
        previous_method = state.get("shipping_method")
        checkout_session.state_update(
            request.session,
            email=contact.email,
            name=contact.name,
            phone=contact.phone,
            shipping_method=method.code,
            payment_method=form.cleaned_data["payment_method"],
            customer_note=form.cleaned_data["customer_note"],
        )
        if previous_method != method.code:
            checkout_session.state_update(
                request.session, address_id=None, address=None, store=None
            )
        if not (method.needs_address or method.needs_store):
            return redirect("checkout:review")
        return redirect("checkout:delivery")
    return render(
        request,
        "checkout/details.html",
        {"form": form, "summary": summary, "quote": summary.quote, "step": 1},
    )


@require_http_methods(["GET", "POST"])
def delivery(request):
    """Step 2: the address (home delivery) or the store (convenience-store pickup)."""
    state = checkout_session.state_get(request.session)
    try:
        contact, method = _contact_and_method(request, state)
        summary = _checkable_cart(request, shipping_method=method)
    except _Redirect as redirect_:
        return _follow(request, redirect_)
    if not (method.needs_address or method.needs_store):
        return redirect("checkout:review")
    user = _member(request)
    data = request.POST or None
    if method.needs_store:
        store = state.get("store") or {}
        form = StoreForm(
            data,
            method=method,
            contact=contact,
            initial={"store_code": store.get("code"), "store_name": store.get("name")},
        )
        if request.method == "POST" and form.is_valid():
            shipping = form.cleaned_data["shipping"]
            checkout_session.state_update(
                request.session,
                store={"code": shipping.store_code, "name": shipping.store_name},
            )
            return redirect("checkout:review")
    else:
        addresses = list(address_list(user=user)) if user else []
        form = AddressForm(
            data,
            method=method,
            contact=contact,
            addresses=addresses,
            initial=_address_initial(state, contact),
        )
        if request.method == "POST" and form.is_valid():
            saved = _address_save(request, form, user)
            if saved:
                return redirect("checkout:review")
    return render(
        request,
        "checkout/delivery.html",
        {
            "form": form,
            "method": method,
            "summary": summary,
            "quote": summary.quote,
            "step": 2,
        },
    )


def _address_initial(state, contact) -> dict:
    if state.get("address_id"):
        return {"address": str(state["address_id"])}
    address = state.get("address") or {}
    initial = {
        "recipient_name": address.get("recipient_name") or contact.name,
        "phone": address.get("recipient_phone") or contact.phone,
        "postal_code": address.get("postal_code", ""),
        "city": address.get("city", ""),
        "district": address.get("district", ""),
        "street": address.get("street", ""),
    }
    if not state.get("address"):
        initial["address"] = None
    return initial


def _address_save(request, form: AddressForm, user) -> bool:
    """Keep the chosen address; a member's new one goes into their address book."""
    shipping = form.cleaned_data["shipping"]
    if user is None:
        checkout_session.state_update(
            request.session,
            address_id=None,
            address={
                "recipient_name": shipping.recipient_name,
                "recipient_phone": shipping.recipient_phone,
                "postal_code": shipping.postal_code,
                "city": shipping.city,
                "district": shipping.district,
                "street": shipping.street,
            },
        )
        return True
    if form.wants_new:
        try:
            address = address_create(
                user=user,
                recipient_name=shipping.recipient_name,
                phone=shipping.recipient_phone,
                postal_code=shipping.postal_code,
                city=shipping.city,
                district=shipping.district,
                street=shipping.street,
                country="TW",
            )
        except AccountsError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return False
        address_id = address.pk
    else:
        address_id = int(form.cleaned_data["address"])
    checkout_session.state_update(request.session, address_id=address_id, address=None)
    return True


@require_http_methods(["GET", "POST"])
def review(request):
    """Step 3: everything once more, the return policy and the place-order button."""
    state = checkout_session.state_get(request.session)
    form = PlaceOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        existing = order_for_idempotency_key(
            key=form.cleaned_data["idempotency_key"], user=_member(request)
        )
        if existing is not None:
            # The same form sent twice: show the order the first submit placed.
            return _after_placing(request, existing)
    try:
        contact, method = _contact_and_method(request, state)
        shipping = _shipping_from_state(request, state, contact, method)
        summary, options, dropped = _review_cart(request, state, method)
        gateway = payment_gateway(state.get("payment_method"))
    except _Redirect as redirect_:
        return _follow(request, redirect_)
    except PaymentError as error:
        return _follow(request, _Redirect(reverse("checkout:start"), error.message))
    if request.method == "POST" and form.is_valid():
        if dropped:
            # The order is no longer what the shopper saw: show it again first.
            return redirect("checkout:review")
        shown = form.cleaned_data.get("total")
        if shown is not None and shown != summary.quote.total.amount:
            # The cart or a price changed (another tab, the merchant) since the
            # page was shown: never charge other than the total on the button.
            messages.error(
                request,
                _(
                    "Your order has changed since you reviewed it. "
                    "Please check the total and place it again."
                ),
            )
            return redirect("checkout:review")
        try:
            order = order_place(
                shopper=request.shopper,
                items=summary.items(),
                contact=contact,
                shipping=shipping,
                payment_method=gateway.code,
                idempotency_key=form.cleaned_data["idempotency_key"],
                cart=CartRef.for_request(request),
                customer_note=state.get("customer_note", ""),
                options=options,
            )
        except (CheckoutError, PaymentError) as error:
            if error.code in CART_PROBLEMS:
                return _follow(
                    request, _Redirect(reverse("cart:detail"), error.message)
                )
            if error.field in options:
                # e.g. the points were spent in another tab meanwhile.
                options.pop(error.field)
                checkout_session.state_update(request.session, options=options)
            messages.error(request, error.message)
            return redirect("checkout:review")
        checkout_session.state_clear(request.session)
        return _after_placing(request, order)
    if request.method == "POST":
        messages.error(
            request,
            _("The checkout form has expired. Please check your order and try again."),
        )
    return render(
        request,
        "checkout/review.html",
        {
            "form": PlaceOrderForm(
                initial={
                    "idempotency_key": secrets.token_urlsafe(24),
                    "total": summary.quote.total.amount,
                }
            ),
            "summary": summary,
            "quote": summary.quote,
            "contact": contact,
            "contact_phone": display_phone(contact.phone),
            "recipient_phone": display_phone(shipping.recipient_phone),
            "method": method,
            "shipping": shipping,
            "gateway": gateway,
            "customer_note": state.get("customer_note", ""),
            "return_policy": return_policy_text(),
            "step": 3,
        },
    )


@require_POST
def option(request):
    """Apply or take back a choice an adjuster offers at review (e.g. points).

    The choice is priced at once: one the adjuster refuses is not kept and
    its message is shown; one no offer of this order names is refused. Kept
    choices live in the checkout session and go into the order.
    """
    form = CheckoutOptionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("That choice could not be applied. Please try again.")
        )
        return redirect("checkout:review")
    state = checkout_session.state_get(request.session)
    options = dict(state.get("options") or {})
    key = form.cleaned_data["option"]
    value = form.cleaned_data["value"].strip()
    if form.cleaned_data["remove"] or not value:
        if options.pop(key, None) is not None:
            messages.success(request, _("Your order has been updated."))
        checkout_session.state_update(request.session, options=options)
        return redirect("checkout:review")
    try:
        _contact, method = _contact_and_method(request, state)
        summary = _checkable_cart(
            request, shipping_method=method, options={**options, key: value}
        )
    except _Redirect as redirect_:
        return _follow(request, redirect_)
    except CheckoutError as error:
        messages.error(request, error.message)
        return redirect("checkout:review")
    if key not in {offer.key for offer in summary.quote.offers}:
        messages.error(request, _("That choice is not available for this order."))
        return redirect("checkout:review")
    options[key] = value
    checkout_session.state_update(request.session, options=options)
    messages.success(request, _("Your order has been updated."))
    return redirect("checkout:review")


def _after_placing(request, order):
    checkout_session.placed_remember(request.session, order.number)
    try:
        gateway = payment_gateway(order.payment_method)
    except PaymentError:
        return redirect("checkout:done", number=order.number)
    payment = order_payment_open(order=order)
    if getattr(gateway, "receives_notifications", False) and payment is not None:
        start = gateway.start(order, payment, request)
        if start.redirect_url:
            return redirect(start.redirect_url)
    return redirect("checkout:done", number=order.number)
