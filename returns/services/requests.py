"""Asking for a return (退貨 / 換貨): checks, units, photos, exchange stock, RMA.

`return_request_create` is the one way a request is made, from the shopper
portal, the API and tests alike. See `returns.services.windows` for which
units may come back and until when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from returns.errors import ReturnError
from returns.models import (
    ExchangeReservation,
    Resolution,
    ReturnEvent,
    ReturnLine,
    ReturnMethod,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    ReturnUnit,
)
from returns.notifications import return_email_queue
from returns.services.windows import FAULT_REASONS, line_return_windows, units_taken
from shop.catalog.models import Product, StockMovement, Variant
from shop.catalog.stock import OutOfStock, stock_take
from shop.orders.models import Order

MAX_PHOTOS_PER_LINE = 3
# Orders whose money came in outside any gateway: refunded by bank transfer.
BANK_TRANSFER_METHODS = ("cod", "atm")
_REASON_TEXT_MAX = 500
_NOTE_MAX = 1000


@dataclass(frozen=True)
class ReturnLineInput:
    """One order line the shopper sends back: how many, why, and in exchange for."""

    order_line_id: int
    quantity: int
    reason: str
    reason_text: str = ""
    exchange_variant_id: int | None = None
    # Uploaded files; each goes through `returns.photos.photo_clean`.
    photos: list = field(default_factory=list)


@dataclass(frozen=True)
class BankAccount:
    """Where a cash-on-delivery or ATM order's refund is transferred."""

    bank_code: str
    account_name: str
    account_number: str


def exchange_reference(number: str) -> str:
    """The stock ledger reference of an exchange's reserved stock."""
    return f"{number} exchange"


def _owner_check(order: Order, user, email: str) -> None:
    # The same answer for every mismatch: it must not reveal whose order it is.
    if user is not None and user.is_authenticated:
        if order.user_id == user.pk:
            return
    elif (email or "").strip() and order.email.lower() == email.strip().lower():
        return
    raise ReturnError(
        _("We could not find that order."), field="order", code="not_found"
    )


def _bank_clean(bank: BankAccount | None) -> BankAccount:
    if bank is None:
        bank = BankAccount("", "", "")
    code = re.sub(r"[\s-]", "", bank.bank_code or "")
    number = re.sub(r"[\s-]", "", bank.account_number or "")
    name = (bank.account_name or "").strip()
    if not re.fullmatch(r"\d{3}|\d{7}", code):
        raise ReturnError(
            _("Enter the 3-digit bank code (or 7 digits with the branch)."),
            field="bank_code",
        )
    if not name:
        raise ReturnError(_("Enter the account holder's name."), field="account_name")
    if len(name) > 100:
        raise ReturnError(
            _("Use at most %(max)d characters.") % {"max": 100}, field="account_name"
        )
    if not re.fullmatch(r"\d{10,16}", number):
        raise ReturnError(
            _("Enter the account number: 10 to 16 digits."), field="account_number"
        )
    return BankAccount(code, name, number)


def _photos_clean(item: ReturnLineInput) -> list:
    if not item.photos:
        return []
    if len(item.photos) > MAX_PHOTOS_PER_LINE:
        raise ReturnError(
            _("Add at most %(max)d photos per item.") % {"max": MAX_PHOTOS_PER_LINE},
            field="photos",
            line_id=item.order_line_id,
        )
    # R3's module: checks type, size and pixels, and strips the location.
    from returns.photos import photo_clean

    cleaned = []
    for upload in item.photos:
        try:
            cleaned.append(photo_clean(upload))
        except ReturnError as error:
            error.field = error.field or "photos"
            error.line_id = item.order_line_id
            raise
    return cleaned


def _exchange_variant(item: ReturnLineInput, line) -> Variant:
    variant = (
        Variant.objects.select_related("product")
        .filter(pk=item.exchange_variant_id)
        .first()
    )
    if (
        variant is None
        or line.product_id is None
        or variant.product_id != line.product_id
        or variant.pk == line.variant_id
        or not variant.is_active
        or variant.product.status != Product.Status.ACTIVE
    ):
        raise ReturnError(
            _("Choose another option of the same product."),
            field="exchange_variant",
            line_id=line.pk,
        )
    # No money changes hands in an exchange: a dearer option would be a gift.
    if variant.price > line.list_unit_price:
        raise ReturnError(
            _(
                "This option costs more than the one you bought; return it for "
                "a refund instead."
            ),
            field="exchange_variant",
            line_id=line.pk,
        )
    if variant.stock < item.quantity:
        raise ReturnError(
            _("This option is out of stock."),
            field="exchange_variant",
            line_id=line.pk,
            code="out_of_stock",
        )
    return variant


def _line_check(item: ReturnLineInput, line, window, resolution: str):
    """The line's (quantity, reason text, exchange variant), or ReturnError."""
    if window.refusal and not (window.faulty_only and item.reason in FAULT_REASONS):
        raise ReturnError(
            window.refusal, field="lines", line_id=line.pk, code="refused"
        )
    if item.reason not in ReturnReason.values:
        raise ReturnError(_("Choose a reason."), field="reason", line_id=line.pk)
    text = (item.reason_text or "").strip()
    if item.reason == ReturnReason.OTHER and not text:
        raise ReturnError(
            _("Tell us what is wrong with it."), field="reason_text", line_id=line.pk
        )
    if len(text) > _REASON_TEXT_MAX:
        raise ReturnError(
            _("Use at most %(max)d characters.") % {"max": _REASON_TEXT_MAX},
            field="reason_text",
            line_id=line.pk,
        )
    quantity = item.quantity
    if not isinstance(quantity, int) or quantity < 1:
        raise ReturnError(
            _("Choose how many to return."), field="quantity", line_id=line.pk
        )
    if quantity > window.returnable_quantity:
        raise ReturnError(
            _("You can return at most %(count)d of this item.")
            % {"count": window.returnable_quantity},
            field="quantity",
            line_id=line.pk,
            code="too_many",
        )
    variant = None
    if resolution == Resolution.EXCHANGE:
        if not item.exchange_variant_id:
            raise ReturnError(
                _("Choose the option you would like instead."),
                field="exchange_variant",
                line_id=line.pk,
            )
        variant = _exchange_variant(item, line)
    return quantity, text, variant


def _request_check(*, order, user, lines, resolution, method, shopper_note) -> None:
    if resolution not in Resolution.values:
        raise ReturnError(
            _("Choose how you would like it resolved."), field="resolution"
        )
    if resolution == Resolution.CREDIT and order.user_id is None:
        raise ReturnError(
            _("Shopping credit needs a member account; choose a refund instead."),
            field="resolution",
        )
    if method not in ReturnMethod.values:
        raise ReturnError(_("Choose how to send it back."), field="method")
    if method == ReturnMethod.PICKUP and not order.street:
        raise ReturnError(
            _(
                "Home pickup needs a street address; choose another way to send "
                "it back."
            ),
            field="method",
        )
    if not lines:
        raise ReturnError(_("Choose at least one item to return."), field="lines")
    ids = [item.order_line_id for item in lines]
    if len(set(ids)) != len(ids):
        raise ReturnError(_("Each item can be listed once."), field="lines")
    if len(shopper_note or "") > _NOTE_MAX:
        raise ReturnError(
            _("Use at most %(max)d characters.") % {"max": _NOTE_MAX},
            field="shopper_note",
        )


def return_request_create(
    *,
    order: Order,
    user,
    email: str,
    lines: list[ReturnLineInput],
    resolution: str,
    method: str,
    shopper_note: str = "",
    bank: BankAccount | None = None,
    now: datetime | None = None,
) -> ReturnRequest:
    """Ask to return `lines` of `order`; the new request is "requested".

    A member acts on their own orders (`user`); a guest (`user` None or
    anonymous) gives the order's email. Each line is checked against its
    window (`line_return_windows`): inside the merchant window, not beyond
    the returnable quantity, a reason ("other" needs text), at most 3 photos
    (cleaned by `returns.photos.photo_clean`), and for an exchange another
    active option of the same product, in stock and not dearer than the one
    bought, whose stock is taken now and held while the return is open. A
    non-returnable line is refused unless the product is faulty (defective,
    damaged, not as described). Shopping credit needs a member; home pickup
    needs a street address. A bank account (digits only) is required, and
    kept, only for a refund of a cash-on-delivery or ATM order.

    Writes the request (RMA "R<order number>-<n>"), its lines, one unit row
    per unit (the lowest unit indexes not yet in a return), the photos, the
    first event, and queues the "requested" email. Raises ReturnError with
    `field` (and `line_id` for a line's error); nothing is written then.
    """
    now = now or timezone.now()
    _owner_check(order, user, email)
    _request_check(
        order=order,
        user=user,
        lines=lines,
        resolution=resolution,
        method=method,
        shopper_note=shopper_note,
    )
    needs_bank = (
        resolution == Resolution.REFUND
        and order.payment_method in BANK_TRANSFER_METHODS
    )
    bank = _bank_clean(bank) if needs_bank else BankAccount("", "", "")
    # Image work before any lock: it is the slow part.
    photos = {item.order_line_id: _photos_clean(item) for item in lines}
    actor = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        # The order's lock serialises requests on it: two cannot claim one unit.
        locked = Order.objects.select_for_update().get(pk=order.pk)
        windows = line_return_windows(order=locked, now=now)
        order_lines = {line.pk: line for line in locked.lines.all()}
        checked = []
        for item in lines:
            line = order_lines.get(item.order_line_id)
            if line is None:
                raise ReturnError(
                    _("This item is not part of the order."),
                    field="lines",
                    line_id=item.order_line_id,
                )
            checked.append(
                (item, line, *_line_check(item, line, windows[line.pk], resolution))
            )
        count = ReturnRequest.objects.filter(order=locked).count()
        request = ReturnRequest.objects.create(
            number=f"R{locked.number}-{count + 1}",
            order=locked,
            user=locked.user,
            email=(email or "").strip() or locked.email,
            resolution=resolution,
            method=method,
            shopper_note=(shopper_note or "").strip(),
            bank_code=bank.bank_code,
            bank_account_name=bank.account_name,
            bank_account_number=bank.account_number,
            language=locked.language,
            created_at=now,
        )
        taken = units_taken(order_line_ids=[line.pk for _i, line, *_r in checked])
        units, reserve, uploads = [], {}, []
        for item, line, quantity, text, variant in checked:
            return_line = ReturnLine.objects.create(
                request=request,
                order_line=line,
                quantity=quantity,
                reason=item.reason,
                reason_text=text,
                exchange_variant=variant,
                in_cooling_off=windows[line.pk].in_cooling_off,
            )
            free = [i for i in range(line.quantity) if i not in taken[line.pk]]
            units += [
                ReturnUnit(line=return_line, unit_index=index)
                for index in free[:quantity]
            ]
            if variant is not None:
                ExchangeReservation.objects.create(
                    line=return_line, variant=variant, quantity=quantity
                )
                reserve[variant.pk] = reserve.get(variant.pk, 0) + quantity
            uploads += [(return_line, content) for content in photos[line.pk]]
        ReturnUnit.objects.bulk_create(units)
        if reserve:
            try:
                stock_take(
                    items=reserve,
                    reason=StockMovement.Reason.ORDER_PLACED,
                    reference=exchange_reference(request.number),
                    actor=actor,
                )
            except OutOfStock as error:
                raise ReturnError(
                    error.message, field="exchange_variant", code="out_of_stock"
                ) from error
        # Files last: storage is not transactional, so nothing may fail after.
        for return_line, content in uploads:
            photo = ReturnPhoto(line=return_line)
            photo.image.save(content.name or "photo.jpg", content, save=True)
        ReturnEvent.objects.create(
            request=request,
            from_status="",
            to_status=ReturnStatus.REQUESTED,
            actor=actor,
            note=request.shopper_note,
            created_at=now,
        )
        return_email_queue(request, "requested")
    return request
