"""Placing an order: one service, one transaction.

`order_place` re-prices the items through the quote, re-checks that the
shopper may buy them, takes the stock (conditional updates that never go below
zero), writes the order with its lines, adjustments, allocations, payment and
first event, sends `order_placed`, empties the cart and queues the emails.
Either all of that happens or none of it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shop.cart.services import (
    MAX_ID,
    cart_clear,
    max_line_quantity,
    purchase_locks_for,
    sellable_variants,
)
from shop.cart.storage import CartRef
from shop.catalog.models import StockMovement
from shop.catalog.stock import OutOfStock, stock_take
from shop.checkout.details import Contact, ShippingDetails, idempotency_key_validate
from shop.checkout.errors import CheckoutError
from shop.checkout.payments import payment_gateway
from shop.checkout.policies import return_policy_text, return_policy_version
from shop.checkout.pricing import Quote, quote_build
from shop.orders.models import (
    Order,
    OrderAdjustment,
    OrderAdjustmentAllocation,
    OrderLine,
    Payment,
)
from shop.orders.notifications import order_email_send_later
from shop.orders.services import (
    order_event_record,
    order_mark_paid,
    order_number_generate,
)
from shop.orders.signals import order_placed
from shop.orders.status import OrderStatus, PaymentStatus

NUMBER_ATTEMPTS = 5


def _clean_items(items: Mapping[int, int]) -> dict[int, int]:
    cleaned: dict[int, int] = {}
    for variant_id, quantity in items.items():
        try:
            variant_id, quantity = int(variant_id), int(quantity)
        except (TypeError, ValueError):
            raise CheckoutError(
                _("The order contains an invalid item."), field="items"
            ) from None
        if not 1 <= variant_id <= MAX_ID:
            # No such row can exist; the database would refuse to look it up.
            raise CheckoutError(
                _(
                    "An item in your cart is no longer available. "
                    "Please review your cart."
                ),
                field="items",
                code="unavailable",
            )
        if not 1 <= quantity <= max_line_quantity():
            raise CheckoutError(
                _("Enter a quantity from 1 to %(maximum)d.")
                % {"maximum": max_line_quantity()},
                field="items",
                code="invalid_quantity",
            )
        cleaned[variant_id] = cleaned.get(variant_id, 0) + quantity
    if not cleaned:
        raise CheckoutError(_("Your cart is empty."), field="items", code="empty")
    return cleaned


def quote_for_items(
    *, shopper, items: Mapping[int, int], shipping_method=None, options=None
):
    """Re-check that the shopper may buy `items` now and price them.

    Raises CheckoutError when an item is no longer for sale to this shopper:
    hidden from them, or shown but locked (a member-only listing whose
    audience they have left, e.g. after a downgrade). Placement calls this
    inside its transaction, so the check holds at the moment of the order.
    Stock is not checked here (placement takes it, atomically).
    """
    items = _clean_items(items)
    variants = sellable_variants(shopper=shopper, variant_ids=items)
    if len(variants) != len(items):
        raise CheckoutError(
            _("An item in your cart is no longer available. Please review your cart."),
            field="items",
            code="unavailable",
        )
    locked = purchase_locks_for(shopper=shopper, variants=variants.values())
    if locked:
        variant_id, reason = next(iter(locked.items()))
        raise CheckoutError(
            _("%(item)s cannot be bought: %(reason)s Please review your cart.")
            % {"item": variants[variant_id], "reason": reason},
            field="items",
            code="locked",
        )
    return quote_build(
        shopper=shopper,
        items=[
            (variants[variant_id], quantity) for variant_id, quantity in items.items()
        ],
        shipping_method=shipping_method,
        options=options,
    )


class _OrderClash(Exception):
    """The new order's row clashed on its number or its idempotency key."""

    def __init__(self, number: str):
        self.number = number
        super().__init__(number)


def _order_insert(order: Order) -> Order:
    """Save the new order under a fresh number.

    No savepoint around the insert: on a clash the whole placement rolls back
    and `order_place` decides. The insert is also where a second request with
    the same idempotency key stops: it waits on the first one's uncommitted
    row, then fails once that commits.
    """
    order.number = order_number_generate(now=order.placed_at)
    try:
        order.save(force_insert=True)
    except IntegrityError as exc:
        raise _OrderClash(order.number) from exc
    return order


def _existing_order(key: str, user) -> Order | None:
    # A narrow look first: nearly every key is new.
    found = (
        Order.objects.filter(idempotency_key=key).values_list("pk", "user_id").first()
    )
    if found is None:
        return None
    user_id = user.pk if user is not None and user.is_authenticated else None
    if found[1] != user_id:
        # Somebody else's key: never hand their order out.
        raise CheckoutError(
            _("The checkout form has expired. Please review your order and try again."),
            field="idempotency_key",
            code="invalid_idempotency_key",
        )
    order = Order.objects.get(pk=found[0])
    order.placed_just_now = False
    return order


def order_place(
    *,
    shopper,
    items: Mapping[int, int],
    contact: Contact,
    shipping: ShippingDetails,
    payment_method: str,
    idempotency_key: str,
    cart: CartRef | None = None,
    customer_note: str = "",
    options: dict | None = None,
) -> Order:
    """Place an order for `items` ({variant id: quantity}) and return it.

    The same `idempotency_key` always returns the same order: a double submit
    (even two at once) places one order; the returned order's
    `placed_just_now` tells the caller which case it was. A new order also
    carries what was written (`placed_lines`, `placed_adjustments`,
    `placed_payment`), so a door can answer without reading it back.
    Raises CheckoutError (nothing written) when an item is no longer for sale
    or out of stock, or when a detail is invalid. `cart`, when given, is
    emptied with the order.
    """
    idempotency_key = idempotency_key_validate(idempotency_key)
    user = shopper.user if shopper.is_member else None
    existing = _existing_order(idempotency_key, user)
    if existing is not None:
        return existing
    gateway = payment_gateway(payment_method)
    if len(customer_note or "") > 1000:
        raise CheckoutError(
            _("Use at most %(max)d characters.") % {"max": 1000},
            field="customer_note",
            code="max_length",
        )
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                order = _order_create(
                    shopper=shopper,
                    user=user,
                    items=items,
                    contact=contact,
                    shipping=shipping,
                    gateway=gateway,
                    idempotency_key=idempotency_key,
                    customer_note=(customer_note or "").strip(),
                    options=options,
                )
                if cart is not None:
                    cart_clear(cart=cart)
        except _OrderClash as clash:
            existing = _existing_order(idempotency_key, user)
            if existing is not None:
                return existing
            if not Order.objects.filter(number=clash.number).exists():
                raise clash.__cause__ from None
            # The random number was taken (rare): place again under another.
            continue
        order.placed_just_now = True
        return order
    raise CheckoutError(_("Your order could not be numbered. Please try again."))


def _order_create(
    *,
    shopper,
    user,
    items,
    contact,
    shipping,
    gateway,
    idempotency_key,
    customer_note,
    options,
) -> Order:
    method = shipping.method
    quote = quote_for_items(
        shopper=shopper, items=items, shipping_method=method, options=options
    )
    order = _order_insert(
        Order(
            user=user,
            email=contact.email,
            customer_name=contact.name,
            phone=contact.phone,
            status=gateway.initial_status,
            payment_method=gateway.code,
            shipping_method_code=method.code,
            shipping_method_name=method.name,
            shipping_kind=method.kind,
            recipient_name=shipping.recipient_name,
            recipient_phone=shipping.recipient_phone,
            postal_code=shipping.postal_code,
            city=shipping.city,
            district=shipping.district,
            street=shipping.street,
            pickup_store_code=shipping.store_code,
            pickup_store_name=shipping.store_name,
            currency=quote.currency,
            subtotal=quote.subtotal.amount,
            discount_total=quote.discount_total.amount,
            shipping_total=quote.shipping_total.amount,
            total=quote.total.amount,
            customer_note=customer_note,
            return_policy_version=return_policy_version(),
            return_policy_text=return_policy_text(),
            language=(get_language() or settings.LANGUAGE_CODE)[:10],
            idempotency_key=idempotency_key,
            placed_at=timezone.now(),
        )
    )
    try:
        stock_take(
            items={line.variant.pk: line.quantity for line in quote.lines},
            reason=StockMovement.Reason.ORDER_PLACED,
            reference=order.number,
            actor=user,
        )
    except OutOfStock as exc:
        raise CheckoutError(exc.message, field="items", code="out_of_stock") from exc
    order.placed_lines, order.placed_adjustments = _order_lines_write(order, quote)
    order.placed_payment = payment = Payment.objects.create(
        order=order,
        method=gateway.code,
        status=PaymentStatus.PENDING,
        amount=order.total,
        currency=order.currency,
        data=gateway.payment_data(order=order),
    )
    note = _("Order placed.")
    if gateway.placed_note:
        note = f"{note} {gateway.placed_note}"
    order_event_record(order=order, actor=user, note=note)
    gateway.placed(order=order, payment=payment, actor=user)
    order_placed.send(sender=Order, order=order)
    if order.total == 0 and order.status == OrderStatus.PENDING_PAYMENT:
        # Points or shopping credit paid for everything: no gateway has
        # anything to collect, and no pay-by instructions make sense.
        order_mark_paid(
            order=order,
            payment=payment,
            actor=user,
            note=_("Paid in full at checkout; nothing left to pay."),
        )
        _emails_queue(order, ("placed",))
    else:
        _emails_queue(order, gateway.placed_emails)
    return order


def _order_lines_write(order: Order, quote: Quote) -> tuple[list, list]:
    lines = OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=line.variant,
            product=line.variant.product,
            product_title=line.variant.product.title[:200],
            variant_label=line.variant.options_label[:120],
            sku=line.variant.sku,
            quantity=line.quantity,
            list_unit_price=line.price.list_price.amount,
            unit_price=line.unit_price.amount,
            price_label=str(line.price.label)[:60],
            non_returnable_reason=line.variant.product.non_returnable_reason,
            subtotal=line.subtotal.amount,
        )
        for line in quote.lines
    )
    line_by_key = {
        quote_line.key: order_line
        for quote_line, order_line in zip(quote.lines, lines, strict=True)
    }
    adjustments = OrderAdjustment.objects.bulk_create(
        OrderAdjustment(
            order=order,
            code=adjustment.code,
            label=str(adjustment.label)[:120],
            kind=adjustment.kind,
            amount=adjustment.amount.amount,
            data=adjustment.data,
            position=position,
        )
        for position, adjustment in enumerate(quote.adjustments)
    )
    allocations = [
        OrderAdjustmentAllocation(
            adjustment=stored, line=line_by_key[key], amount=amount
        )
        for adjustment, stored in zip(quote.adjustments, adjustments, strict=True)
        for key, amount in adjustment.allocations.items()
    ]
    if allocations:
        OrderAdjustmentAllocation.objects.bulk_create(allocations)
    return lines, adjustments


def _emails_queue(order: Order, kinds) -> None:
    # Each is queued to a Celery task that runs once this transaction commits.
    for kind in kinds:
        order_email_send_later(order=order, kind=kind)
