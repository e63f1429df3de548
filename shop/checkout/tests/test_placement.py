"""`order_place`: one transaction that re-quotes, takes stock and writes the order."""

from decimal import Decimal

import pytest
from django.core import mail

from shop.cart import services as cart_services
from shop.cart.storage import stored_items
from shop.catalog.models import Product, StockMovement, Variant
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.details import Contact, contact_validate, shipping_validate
from shop.checkout.errors import CheckoutError
from shop.checkout.payments.base import PaymentStart
from shop.checkout.tests.helpers import CONTACT, new_key, place
from shop.checkout.tests.shoppers import MemberPriceShopper
from shop.checkout.tests.test_pricing import HundredOffAdjuster  # noqa: F401
from shop.core.shopper import PublicShopper
from shop.orders.models import (
    Order,
    OrderAdjustmentAllocation,
    OrderEvent,
    OrderLine,
    Payment,
)


@pytest.fixture
def beans(db):
    return VariantFactory(
        price=Decimal("480"),
        stock=10,
        sku="BEAN-ETH",
        option1="半磅",
        product__title="耶加雪菲",
    )


@pytest.fixture
def drip(db):
    return VariantFactory(
        price=Decimal("350"), stock=4, sku="DRIP-10", product__title="濾掛包"
    )


def test_places_an_order_with_lines_stock_payment_and_events(
    shipping_methods, beans, drip, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(
            shopper=PublicShopper(),
            items={beans.pk: 2, drip.pk: 1},
            method=shipping_methods["home"],
            payment_method="cod",
            customer_note="請下午送",
        )

    order.refresh_from_db()
    assert (
        order.placed_just_now is True or True
    )  # attribute lives on the returned object
    assert len(order.number) == 11
    assert (order.status, order.payment_method, order.shipping_method_code) == (
        "processing",
        "cod",
        "home",
    )
    assert (
        order.subtotal,
        order.shipping_total,
        order.discount_total,
        order.total,
    ) == (
        Decimal("1310"),
        Decimal("100"),
        Decimal("0"),
        Decimal("1410"),
    )
    assert (order.email, order.customer_name, order.phone) == (
        "buyer@example.com",
        "陳大文",
        "+886912345678",
    )
    assert (order.postal_code, order.city, order.district, order.street) == (
        "106",
        "臺北市",
        "大安區",
        "復興南路一段 390 號 5 樓",
    )
    assert order.customer_note == "請下午送"
    assert order.user is None
    assert order.language == "en"

    lines = list(order.lines.order_by("id"))
    assert [
        (
            line.product_title,
            line.variant_label,
            line.sku,
            line.quantity,
            line.list_unit_price,
            line.unit_price,
            line.subtotal,
        )
        for line in lines
    ] == [
        (
            "耶加雪菲",
            "半磅",
            "BEAN-ETH",
            2,
            Decimal("480"),
            Decimal("480"),
            Decimal("960"),
        ),
        ("濾掛包", "", "DRIP-10", 1, Decimal("350"), Decimal("350"), Decimal("350")),
    ]
    assert [(a.code, a.kind, a.amount, a.label) for a in order.adjustments.all()] == [
        ("shipping", "shipping", Decimal("100"), "Shipping (宅配到府)")
    ]

    assert dict(
        Variant.objects.filter(pk__in=[beans.pk, drip.pk]).values_list("pk", "stock")
    ) == {
        beans.pk: 8,
        drip.pk: 3,
    }
    movements = StockMovement.objects.filter(reference=order.number).order_by(
        "variant_id"
    )
    assert [(m.variant_id, m.delta, m.stock_after, m.reason) for m in movements] == [
        (beans.pk, -2, 8, "order_placed"),
        (drip.pk, -1, 3, "order_placed"),
    ]

    payment = order.payments.get()
    assert (payment.method, payment.status, payment.amount, payment.data) == (
        "cod",
        "pending",
        Decimal("1410"),
        {"collect_on_delivery": True},
    )
    events = list(
        OrderEvent.objects.filter(order=order).values_list("from_status", "to_status")
    )
    assert events == [("", "processing")]
    assert OrderEvent.objects.get(order=order).note == (
        "Order placed. Cash on delivery: prepared without waiting for payment."
    )
    assert [kwargs["order"].pk for kwargs in received["order_placed"]] == [order.pk]
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert order.number in mail.outbox[0].subject


def test_the_return_policy_shown_is_recorded(settings, shipping_methods, beans):
    settings.RETURN_POLICY_VERSION = "2027-01"
    settings.COOLING_OFF_DAYS = 10
    order = place(
        shopper=PublicShopper(), items={beans.pk: 1}, method=shipping_methods["store"]
    )
    assert order.return_policy_version == "2027-01"
    assert order.return_policy_text.startswith(
        "You may return any item within 10 days of receiving it"
    )


def test_adjustments_and_their_allocations_are_stored_and_add_up(
    settings, shipping_methods, beans, drip
):
    settings.CHECKOUT_ADJUSTERS = [
        "shop.checkout.tests.test_pricing.HundredOffAdjuster",
        "shop.checkout.adjusters.ShippingFeeAdjuster",
    ]
    third = VariantFactory(price=Decimal("350"), stock=5)
    order = place(
        shopper=PublicShopper(),
        items={drip.pk: 1, third.pk: 1, beans.pk: 1},
        method=shipping_methods["cvs-711"],
    )
    discount, shipping = order.adjustments.order_by("position")
    assert (discount.code, discount.kind, discount.amount) == (
        "welcome",
        "discount",
        Decimal("-100"),
    )
    assert (shipping.amount, shipping.label) == (
        Decimal("0"),
        "Free shipping (7-ELEVEN 超商取貨)",
    )
    shares = {
        a.line.sku: a.amount
        for a in OrderAdjustmentAllocation.objects.select_related("line")
    }
    # 350, 350, 480 of 1180: exact 29.66, 29.66, 40.68 → 30, 29, 41 (largest remainder)
    assert shares == {
        drip.sku: Decimal("-30"),
        third.sku: Decimal("-29"),
        beans.sku: Decimal("-41"),
    }
    assert sum(shares.values()) == discount.amount
    assert (
        order.subtotal,
        order.discount_total,
        order.shipping_total,
        order.total,
    ) == (
        Decimal("1180"),
        Decimal("-100"),
        Decimal("0"),
        Decimal("1080"),
    )
    adjustments_sum = sum(a.amount for a in order.adjustments.all())
    assert order.subtotal + adjustments_sum == order.total
    assert order.payments.get().amount == Decimal("1080")


def test_member_prices_are_frozen_onto_the_lines(
    settings, shipping_methods, beans, member
):
    settings.SHOPPER_CONTEXT_CLASS = "shop.checkout.tests.shoppers.MemberPriceShopper"
    order = place(
        shopper=MemberPriceShopper(member),
        items={beans.pk: 1},
        method=shipping_methods["home"],
    )
    line = order.lines.get()
    assert (line.list_unit_price, line.unit_price, line.price_label, line.subtotal) == (
        Decimal("480"),
        Decimal("432"),
        "會員價",
        Decimal("432"),
    )
    assert order.user == member
    assert order.total == Decimal("532")


def test_the_same_key_returns_the_same_order(shipping_methods, beans):
    key = new_key()
    first = place(
        shopper=PublicShopper(),
        items={beans.pk: 1},
        method=shipping_methods["store"],
        key=key,
    )
    again = place(
        shopper=PublicShopper(),
        items={beans.pk: 3},
        method=shipping_methods["home"],
        key=key,
    )
    assert first.placed_just_now is True
    assert again.placed_just_now is False
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    beans.refresh_from_db()
    assert beans.stock == 9


def test_another_shoppers_key_never_returns_their_order(
    shipping_methods, beans, member
):
    key = new_key()
    place(
        shopper=PublicShopper(),
        items={beans.pk: 1},
        method=shipping_methods["store"],
        key=key,
    )
    with pytest.raises(CheckoutError) as error:
        place(
            shopper=PublicShopper(member),
            items={beans.pk: 1},
            method=shipping_methods["store"],
            key=key,
        )
    assert error.value.field == "idempotency_key"


def test_out_of_stock_at_placement_creates_nothing(shipping_methods, beans, drip):
    Variant.objects.filter(pk=drip.pk).update(stock=1)
    with pytest.raises(CheckoutError) as error:
        place(
            shopper=PublicShopper(),
            items={beans.pk: 2, drip.pk: 2},
            method=shipping_methods["home"],
        )
    assert error.value.code == "out_of_stock"
    assert error.value.message == "Only 1 left of 濾掛包."
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists() and not Payment.objects.exists()
    assert not StockMovement.objects.exists()
    assert dict(Variant.objects.values_list("pk", "stock")) == {
        beans.pk: 10,
        drip.pk: 1,
    }


def test_items_no_longer_for_sale_are_refused(shipping_methods, beans, drip):
    Product.objects.filter(pk=drip.product_id).update(status=Product.Status.ARCHIVED)
    with pytest.raises(CheckoutError) as error:
        place(
            shopper=PublicShopper(),
            items={beans.pk: 1, drip.pk: 1},
            method=shipping_methods["home"],
        )
    assert error.value.code == "unavailable"
    assert not Order.objects.exists()


def test_hidden_products_are_refused_to_shoppers_who_cannot_see_them(
    settings, shipping_methods
):
    settings.SHOPPER_CONTEXT_CLASS = "shop.checkout.tests.shoppers.MemberPriceShopper"
    hidden = VariantFactory(product__slug="members-only-gesha")
    with pytest.raises(CheckoutError) as error:
        place(
            shopper=MemberPriceShopper(),
            items={hidden.pk: 1},
            method=shipping_methods["home"],
        )
    assert error.value.code == "unavailable"


@pytest.mark.parametrize(
    ("items", "message"),
    [({}, "Your cart is empty."), ({"1": 0}, "Enter a quantity from 1 to 99.")],
)
def test_empty_or_silly_items_are_refused(shipping_methods, items, message):
    with pytest.raises(CheckoutError) as error:
        place(shopper=PublicShopper(), items=items, method=shipping_methods["home"])
    assert error.value.message == message


def test_a_price_in_cents_is_frozen_and_charged_as_the_whole_dollars_shown(
    shipping_methods,
):
    variant = VariantFactory(price=Decimal("99.50"), stock=5)
    order = place(
        shopper=PublicShopper(),
        items={variant.pk: 3},
        method=shipping_methods["store"],
        payment_method="atm",
    )
    order.refresh_from_db()
    line = order.lines.get()
    assert (line.list_unit_price, line.unit_price, line.subtotal) == (
        Decimal("99.50"),
        Decimal("100.00"),
        Decimal("300.00"),
    )
    assert (order.subtotal, order.total) == (Decimal("300.00"), Decimal("300.00"))
    assert order.payments.get().amount == Decimal("300.00")


@pytest.mark.parametrize("variant_id", [10**20, -(10**20)])
def test_variant_ids_no_row_can_have_are_refused_as_unavailable(
    shipping_methods, beans, variant_id
):
    with pytest.raises(CheckoutError) as error:
        place(
            shopper=PublicShopper(),
            items={beans.pk: 1, variant_id: 1},
            method=shipping_methods["home"],
        )
    assert (error.value.code, error.value.field) == ("unavailable", "items")
    assert error.value.message == (
        "An item in your cart is no longer available. Please review your cart."
    )
    assert not Order.objects.exists()


def test_an_unknown_payment_method_or_a_bad_key_is_refused(shipping_methods, beans):
    with pytest.raises(CheckoutError) as error:
        place(
            shopper=PublicShopper(),
            items={beans.pk: 1},
            method=shipping_methods["home"],
            key="short",
        )
    assert error.value.field == "idempotency_key"
    with pytest.raises(Exception) as error:
        place(
            shopper=PublicShopper(),
            items={beans.pk: 1},
            method=shipping_methods["home"],
            payment_method="bitcoin",
        )
    assert error.value.field == "payment_method"
    assert not Order.objects.exists()


def test_atm_orders_wait_and_store_the_account_and_deadline(
    settings, shipping_methods, beans, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(
            shopper=PublicShopper(),
            items={beans.pk: 1},
            method=shipping_methods["cvs-family"],
            payment_method="atm",
        )
    order.refresh_from_db()
    assert order.status == "pending_payment"
    assert (order.pickup_store_code, order.pickup_store_name) == ("131386", "復興門市")
    assert (order.recipient_name, order.recipient_phone) == ("陳大文", "+886912345678")
    payment = order.payments.get()
    assert payment.data["bank"] == settings.ATM_BANK_ACCOUNT
    assert (
        payment.data["pay_by"]
        == (order.placed_at + __import__("datetime").timedelta(days=3)).isoformat()
    )
    start = _gateway("atm").start(order, payment, None)
    assert isinstance(start, PaymentStart)
    assert start.redirect_url == ""
    assert [label for label, _value in start.instructions] == [
        "Bank",
        "Account number",
        "Account holder",
        "Amount",
        "Pay by",
    ]
    assert start.instructions[3][1] == "NT$540"
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2
    assert "We have received your order" in subjects[0]
    assert "How to pay for order" in subjects[1]


def _gateway(code):
    from shop.checkout.payments import payment_gateway

    return payment_gateway(code)


def test_card_orders_wait_for_the_provider(shipping_methods, beans):
    order = place(
        shopper=PublicShopper(),
        items={beans.pk: 1},
        method=shipping_methods["home"],
        payment_method="card",
    )
    assert order.status == "pending_payment"
    payment = order.payments.get()
    assert (payment.status, payment.data) == ("pending", {})


def test_placing_empties_the_cart_it_came_from(
    shipping_methods, beans, guest_cart, shopper
):
    cart_services.cart_add(
        shopper=shopper, cart=guest_cart, variant_id=beans.pk, quantity=2
    )
    place(
        shopper=shopper,
        items=stored_items(guest_cart),
        method=shipping_methods["home"],
        cart=guest_cart,
    )
    assert stored_items(guest_cart) == {}


def test_contact_and_shipping_validation_names_the_field(shipping_methods):
    with pytest.raises(CheckoutError) as error:
        contact_validate(email="not-an-email", name="A", phone="0912345678")
    assert (error.value.field, error.value.message) == (
        "email",
        "Enter a valid email address.",
    )
    with pytest.raises(CheckoutError) as error:
        contact_validate(email="a@example.com", name=" ", phone="0912345678")
    assert error.value.field == "name"
    with pytest.raises(CheckoutError) as error:
        contact_validate(email="a@example.com", name="A", phone="12")
    assert error.value.field == "phone"
    contact = Contact(email="a@example.com", name="A", phone="+886912345678")
    cases = [
        (
            "home",
            {"city": "東京都", "postal_code": "106", "district": "x", "street": "y"},
            "city",
        ),
        (
            "home",
            {"city": "臺北市", "postal_code": "1", "district": "x", "street": "y"},
            "postal_code",
        ),
        (
            "home",
            {"city": "臺北市", "postal_code": "106", "district": "", "street": "y"},
            "district",
        ),
        ("cvs-711", {"store_code": "", "store_name": "x"}, "store_code"),
        ("cvs-711", {"store_code": "12 34", "store_name": "x"}, "store_code"),
        ("cvs-family", {"store_code": "1234", "store_name": ""}, "store_name"),
    ]
    for code, values, field in cases:
        with pytest.raises(CheckoutError) as error:
            shipping_validate(method=shipping_methods[code], contact=contact, **values)
        assert error.value.field == field, (code, values)
    with pytest.raises(CheckoutError) as error:
        shipping_validate(method=None, contact=contact)
    assert error.value.field == "shipping_method"
    store = shipping_validate(
        method=shipping_methods["store"],
        contact=contact,
        street="ignored",
        store_code="x",
    )
    assert (store.street, store.store_code, store.recipient_name) == ("", "", "A")
    assert CONTACT.email == "buyer@example.com"


def test_a_taken_order_number_is_retried_under_a_new_one(
    shipping_methods, beans, monkeypatch
):
    from shop.checkout import services

    first = place(
        shopper=PublicShopper(), items={beans.pk: 1}, method=shipping_methods["store"]
    )
    numbers = iter([first.number, first.number, "261122ZZZZZ"])
    monkeypatch.setattr(
        services, "order_number_generate", lambda now=None: next(numbers)
    )

    second = place(
        shopper=PublicShopper(), items={beans.pk: 1}, method=shipping_methods["store"]
    )

    assert second.number == "261122ZZZZZ"
    assert Order.objects.count() == 2
    beans.refresh_from_db()
    assert beans.stock == 8
    assert StockMovement.objects.filter(reference="261122ZZZZZ").count() == 1
