"""Asking for a return: `return_request_create` and every rule it checks."""

from datetime import timedelta
from decimal import Decimal

import pytest

from returns.errors import ReturnError
from returns.models import (
    ExchangeReservation,
    ReturnEvent,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
    ReturnUnit,
)
from returns.services import BankAccount, return_request_create
from returns.tests.core.support import taipei
from returns.tests.factories import (
    delivered_order,
    exchange_variant_for,
    line_input,
    return_request_make,
)
from shop.accounts.tests.factories import UserFactory
from shop.catalog.models import StockMovement
from shop.catalog.tests.factories import VariantFactory, image_file

pytestmark = pytest.mark.django_db

DELIVERED = taipei("2026-11-30 10:00")
NOW = DELIVERED + timedelta(days=2)


@pytest.fixture
def order():
    return delivered_order(delivered_at=DELIVERED)


def lines_of(order):
    return list(order.lines.order_by("pk"))


def create(order, items, *, user="owner", email=None, **kw):
    kw.setdefault("resolution", "refund")
    kw.setdefault("method", "cvs")
    kw.setdefault("now", NOW)
    return return_request_create(
        order=order,
        user=order.user if user == "owner" else user,
        email=email if email is not None else order.email,
        lines=items,
        **kw,
    )


def refused(order, items, **kw) -> ReturnError:
    with pytest.raises(ReturnError) as error:
        create(order, items, **kw)
    assert not ReturnRequest.objects.filter(order=order).exists()
    return error.value


def test_a_member_asks_to_return_one_unit(order):
    big, _small = lines_of(order)

    request = create(
        order,
        [line_input(big, 1, ReturnReason.WRONG_SIZE)],
        shopper_note="  太小了  ",
    )

    assert request.number == f"R{order.number}-1"
    assert request.status == ReturnStatus.REQUESTED
    assert (request.user, request.email, request.language) == (
        order.user,
        order.email,
        "zh-hant",
    )
    assert request.shopper_note == "太小了"
    assert request.created_at == NOW
    [line] = request.lines.all()
    assert (line.order_line, line.quantity, line.reason, line.in_cooling_off) == (
        big,
        1,
        "wrong_size",
        True,
    )
    assert list(line.units.values_list("unit_index", flat=True)) == [0]
    [event] = ReturnEvent.objects.filter(request=request)
    assert (event.from_status, event.to_status, event.actor, event.created_at) == (
        "",
        "requested",
        order.user,
        NOW,
    )
    # A card order's refund goes back to the card: no bank account is kept.
    assert (request.bank_code, request.bank_account_number) == ("", "")


def test_outside_cooling_off_the_line_says_so(order):
    big, _small = lines_of(order)

    request = create(order, [line_input(big)], now=DELIVERED + timedelta(days=20))

    assert request.lines.get().in_cooling_off is False


def test_later_requests_number_on_and_take_the_next_units(order):
    big, small = lines_of(order)
    create(order, [line_input(big, 1)])

    second = create(order, [line_input(big, 1), line_input(small, 1)])

    assert second.number == f"R{order.number}-2"
    assert sorted(
        ReturnUnit.objects.filter(line__request=second).values_list(
            "line__order_line_id", "unit_index"
        )
    ) == [(big.pk, 1), (small.pk, 0)]


def test_quantity_is_limited_to_what_is_left_and_a_rejection_frees_units(order):
    big, _small = lines_of(order)

    error = refused(order, [line_input(big, 3)])
    assert (error.message, error.field, error.line_id, error.code) == (
        "You can return at most 2 of this item.",
        "quantity",
        big.pk,
        "too_many",
    )
    assert refused(order, [line_input(big, 0)]).message == "Choose how many to return."

    first = return_request_make(
        order=order, quantity=2, status=ReturnStatus.REJECTED, now=NOW
    )
    again = create(order, [line_input(big, 2)])

    assert first.status == ReturnStatus.REJECTED
    assert list(
        ReturnUnit.objects.filter(line__request=again).values_list(
            "unit_index", flat=True
        )
    ) == [0, 1]
    with pytest.raises(ReturnError) as more:
        create(order, [line_input(big, 1)])
    error = more.value
    assert error.message == (
        "All of this item has already been returned or is in a return."
    )
    assert error.code == "refused"


def test_outside_the_merchant_window_it_is_refused_with_the_date(order):
    big, _small = lines_of(order)

    error = refused(order, [line_input(big)], now=DELIVERED + timedelta(days=31))

    assert error.message == "The return window for this order closed on Dec. 30, 2026."
    assert (error.field, error.line_id, error.code) == ("lines", big.pk, "refused")


@pytest.mark.parametrize(
    "reason", [ReturnReason.CHANGED_MIND, ReturnReason.WRONG_SIZE, ReturnReason.OTHER]
)
def test_a_non_returnable_line_is_refused_for_the_shoppers_own_reasons(reason):
    lotion = VariantFactory(
        product__non_returnable_reason="Opened cosmetics cannot be returned."
    )
    order = delivered_order(items=[(lotion, 1)], delivered_at=DELIVERED)

    error = refused(order, [line_input(lines_of(order)[0], 1, reason, reason_text="x")])

    assert error.message == "Opened cosmetics cannot be returned."
    assert error.code == "refused"


@pytest.mark.parametrize(
    "reason",
    [
        ReturnReason.DEFECTIVE,
        ReturnReason.DAMAGED_IN_TRANSIT,
        ReturnReason.NOT_AS_DESCRIBED,
    ],
)
def test_a_faulty_product_can_always_come_back(reason):
    lotion = VariantFactory(
        product__non_returnable_reason="Opened cosmetics cannot be returned."
    )
    order = delivered_order(items=[(lotion, 1)], delivered_at=DELIVERED)

    request = create(order, [line_input(lines_of(order)[0], 1, reason)])

    assert request.lines.get().reason == reason


def test_other_needs_a_few_words(order):
    big, _small = lines_of(order)

    error = refused(order, [line_input(big, 1, ReturnReason.OTHER, reason_text="  ")])
    assert (error.message, error.field) == (
        "Tell us what is wrong with it.",
        "reason_text",
    )

    request = create(order, [line_input(big, 1, "other", reason_text="少了配件")])
    assert request.lines.get().reason_text == "少了配件"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": "bored"}, "reason", "Choose a reason."),
        (
            {"resolution": "cash"},
            "resolution",
            "Choose how you would like it resolved.",
        ),
        ({"method": "drone"}, "method", "Choose how to send it back."),
        ({"shopper_note": "長" * 1001}, "shopper_note", "Use at most 1000 characters."),
    ],
)
def test_choices_are_checked(order, change, field, message):
    big, _small = lines_of(order)
    reason = change.pop("reason", ReturnReason.WRONG_COLOUR)

    error = refused(order, [line_input(big, 1, reason)], **change)

    assert (error.field, error.message) == (field, message)


def test_lines_must_be_the_orders_and_listed_once(order):
    big, _small = lines_of(order)
    other = lines_of(delivered_order(delivered_at=DELIVERED))[0]

    assert refused(order, []).message == "Choose at least one item to return."
    assert (
        refused(order, [line_input(big), line_input(big)]).message
        == "Each item can be listed once."
    )
    error = refused(order, [line_input(other)])
    assert (error.message, error.line_id) == (
        "This item is not part of the order.",
        other.pk,
    )


def test_nobody_else_can_ask_for_a_members_order(order):
    big, _small = lines_of(order)

    error = refused(order, [line_input(big)], user=UserFactory())

    assert (error.message, error.code) == ("We could not find that order.", "not_found")


def test_a_guest_gives_the_orders_email():
    order = delivered_order(
        guest=True, delivered_at=DELIVERED, email="Guest@Example.com"
    )
    big, _small = lines_of(order)

    wrong = refused(order, [line_input(big)], user=None, email="someone@example.com")
    assert wrong.code == "not_found"

    request = create(order, [line_input(big)], user=None, email="guest@example.com ")
    assert (request.user, request.email) == (None, "guest@example.com")


def test_a_guest_cannot_take_shopping_credit():
    order = delivered_order(guest=True, delivered_at=DELIVERED)

    error = refused(
        order, [line_input(lines_of(order)[0])], user=None, resolution="credit"
    )

    assert error.field == "resolution"
    assert error.message == (
        "Shopping credit needs a member account; choose a refund instead."
    )


def test_home_pickup_needs_a_street_address():
    order = delivered_order(pickup=True, delivered_at=DELIVERED)

    error = refused(order, [line_input(lines_of(order)[0])], method="pickup")

    assert error.field == "method"


@pytest.mark.parametrize("payment_method", ["cod", "atm"])
def test_a_refund_of_a_cash_or_transfer_order_needs_a_bank_account(payment_method):
    order = delivered_order(payment_method=payment_method, delivered_at=DELIVERED)
    item = [line_input(lines_of(order)[0])]

    assert refused(order, item).field == "bank_code"
    bad_code = BankAccount("81", "王小明", "0012345678901")
    assert refused(order, item, bank=bad_code).field == "bank_code"
    no_name = BankAccount("812", " ", "0012345678901")
    assert refused(order, item, bank=no_name).field == "account_name"
    letters = BankAccount("812", "王小明", "00123ABC78901")
    error = refused(order, item, bank=letters)
    assert (error.field, error.message) == (
        "account_number",
        "Enter the account number: 10 to 16 digits.",
    )

    request = create(
        order, item, bank=BankAccount("812 ", " 王小明", "0012-3456-78901")
    )

    assert (
        request.bank_code,
        request.bank_account_name,
        request.bank_account_number,
    ) == ("812", "王小明", "0012345678901")


def test_no_bank_account_is_kept_when_no_transfer_is_owed():
    order = delivered_order(payment_method="cod", delivered_at=DELIVERED)

    request = create(
        order,
        [line_input(lines_of(order)[0])],
        resolution="credit",
        bank=BankAccount("812", "王小明", "0012345678901"),
    )

    assert (request.bank_code, request.bank_account_number) == ("", "")


def test_an_exchange_reserves_the_other_options_stock(order):
    big, _small = lines_of(order)
    other = exchange_variant_for(big, stock=5)

    request = create(
        order,
        [line_input(big, 2, "wrong_size", exchange_variant_id=other.pk)],
        resolution="exchange",
    )

    other.refresh_from_db()
    assert other.stock == 3
    [movement] = StockMovement.objects.filter(variant=other)
    assert (
        movement.delta,
        movement.stock_after,
        movement.reason,
        movement.reference,
    ) == (
        -2,
        3,
        "order_placed",
        f"{request.number} exchange",
    )
    reservation = ExchangeReservation.objects.get(line__request=request)
    assert (reservation.variant, reservation.quantity) == (other, 2)
    assert request.lines.get().exchange_variant == other


def test_an_exchange_is_for_another_option_of_the_same_product_in_stock(order):
    big, _small = lines_of(order)

    def error_for(variant_id, quantity=1):
        item = line_input(big, quantity, exchange_variant_id=variant_id)
        return refused(order, [item], resolution="exchange")

    assert error_for(None).message == "Choose the option you would like instead."
    assert error_for(VariantFactory().pk).field == "exchange_variant"
    assert error_for(big.variant_id).message == (
        "Choose another option of the same product."
    )
    hidden = exchange_variant_for(big)
    hidden.is_active = False
    hidden.save()
    assert error_for(hidden.pk).field == "exchange_variant"
    dearer = exchange_variant_for(big, price=Decimal("1500"))
    assert error_for(dearer.pk).message == (
        "This option costs more than the one you bought; return it for a refund "
        "instead."
    )
    last_one = exchange_variant_for(big, stock=1)
    error = error_for(last_one.pk, quantity=2)
    assert (error.code, error.message) == (
        "out_of_stock",
        "This option is out of stock.",
    )
    assert StockMovement.objects.filter(variant=last_one).count() == 0


def test_up_to_three_photos_per_line_are_kept(order):
    big, _small = lines_of(order)

    request = create(
        order,
        [
            line_input(
                big,
                1,
                "defective",
                photos=[image_file(), image_file("b.png", fmt="PNG")],
            )
        ],
    )

    photos = list(ReturnPhoto.objects.filter(line__request=request))
    assert len(photos) == 2
    assert photos[0].image.name.startswith(f"returns/{request.pk}/")
    assert photos[0].image.name.endswith(".jpg")
    assert photos[1].image.name.endswith(".png")


def test_a_fourth_photo_is_refused(order):
    big, _small = lines_of(order)

    error = refused(order, [line_input(big, 1, "defective", photos=[image_file()] * 4)])

    assert (error.message, error.field, error.line_id) == (
        "Add at most 3 photos per item.",
        "photos",
        big.pk,
    )


def test_a_photo_that_is_not_an_image_is_refused_for_its_line(order):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big, _small = lines_of(order)
    fake = SimpleUploadedFile("note.jpg", b"not a picture", content_type="image/jpeg")

    error = refused(order, [line_input(big, 1, "defective", photos=[fake])])

    assert (error.field, error.line_id) == ("photos", big.pk)
    assert ReturnPhoto.objects.count() == 0
