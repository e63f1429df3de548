from decimal import Decimal

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory
from django.urls import reverse

from shop.cart import services
from shop.cart.errors import CartError
from shop.cart.models import Cart, CartLine
from shop.cart.storage import SESSION_KEY, CartRef, stored_items
from shop.catalog.models import Product
from shop.catalog.tests.factories import VariantFactory


@pytest.fixture(params=["guest", "member"])
def any_cart(request):
    """The same rules hold for a session cart and a member's database cart."""
    if request.param == "guest":
        return request.getfixturevalue("guest_cart"), request.getfixturevalue("shopper")
    return request.getfixturevalue("member_cart"), request.getfixturevalue(
        "member_shopper"
    )


def test_add_adds_up_quantities_in_order(any_cart):
    cart, shopper = any_cart
    first, second = VariantFactory(stock=5), VariantFactory(stock=5)
    assert services.cart_add(shopper=shopper, cart=cart, variant_id=second.pk) == 1
    assert (
        services.cart_add(shopper=shopper, cart=cart, variant_id=first.pk, quantity=2)
        == 2
    )
    assert (
        services.cart_add(shopper=shopper, cart=cart, variant_id=second.pk, quantity=3)
        == 4
    )
    assert list(stored_items(cart).items()) == [(second.pk, 4), (first.pk, 2)]


def test_add_beyond_stock_is_refused_with_what_is_left(any_cart):
    cart, shopper = any_cart
    variant = VariantFactory(stock=2, product__title="耶加雪菲")
    services.cart_add(shopper=shopper, cart=cart, variant_id=variant.pk)
    with pytest.raises(CartError) as error:
        services.cart_add(shopper=shopper, cart=cart, variant_id=variant.pk, quantity=2)
    assert error.value.code == "insufficient_stock"
    assert error.value.message == "Only 2 left of 耶加雪菲; your cart already has 1."
    assert stored_items(cart) == {variant.pk: 1}


def test_sold_out_inactive_and_hidden_variants_are_refused(any_cart):
    cart, shopper = any_cart
    sold_out = VariantFactory(stock=0, product__title="手沖壺")
    inactive = VariantFactory(is_active=False)
    draft = VariantFactory(product__status=Product.Status.DRAFT)
    with pytest.raises(CartError) as error:
        services.cart_add(shopper=shopper, cart=cart, variant_id=sold_out.pk)
    assert (error.value.code, error.value.message) == (
        "sold_out",
        "Sorry, 手沖壺 is sold out.",
    )
    for variant in (inactive, draft):
        with pytest.raises(CartError) as error:
            services.cart_add(shopper=shopper, cart=cart, variant_id=variant.pk)
        assert error.value.code == "unavailable"
        assert error.value.message == "Sorry, this product is no longer available."
    with pytest.raises(CartError):
        services.cart_add(shopper=shopper, cart=cart, variant_id=999999)
    assert stored_items(cart) == {}


def test_a_product_the_shopper_may_not_see_cannot_be_added(
    settings, guest_cart, shopper, member_cart, member_shopper
):
    settings.SHOPPER_CONTEXT_CLASS = "shop.checkout.tests.shoppers.MemberPriceShopper"
    from shop.checkout.tests.shoppers import MemberPriceShopper

    hidden = VariantFactory(product__slug="members-only-gesha")
    with pytest.raises(CartError) as error:
        services.cart_add(
            shopper=MemberPriceShopper(), cart=guest_cart, variant_id=hidden.pk
        )
    assert error.value.code == "unavailable"
    assert (
        services.cart_add(
            shopper=MemberPriceShopper(member_shopper.user),
            cart=member_cart,
            variant_id=hidden.pk,
        )
        == 1
    )


@pytest.mark.parametrize("quantity", [0, -1, "two", None, 100])
def test_add_needs_a_sensible_quantity(any_cart, quantity):
    cart, shopper = any_cart
    variant = VariantFactory(stock=500)
    with pytest.raises(CartError) as error:
        services.cart_add(
            shopper=shopper, cart=cart, variant_id=variant.pk, quantity=quantity
        )
    assert error.value.field == "quantity"
    assert error.value.message == "Enter a quantity from 1 to 99."


def test_set_quantity_checks_stock_only_when_going_up(any_cart):
    cart, shopper = any_cart
    variant = VariantFactory(stock=3, product__title="濾掛")
    services.cart_add(shopper=shopper, cart=cart, variant_id=variant.pk, quantity=3)
    variant.stock = 1
    variant.save()
    assert (
        services.cart_set_quantity(
            shopper=shopper, cart=cart, variant_id=variant.pk, quantity=2
        )
        == 2
    )
    with pytest.raises(CartError) as error:
        services.cart_set_quantity(
            shopper=shopper, cart=cart, variant_id=variant.pk, quantity=3
        )
    assert error.value.message == "Only 1 left of 濾掛."
    assert stored_items(cart) == {variant.pk: 2}
    services.cart_set_quantity(
        shopper=shopper, cart=cart, variant_id=variant.pk, quantity=0
    )
    assert stored_items(cart) == {}


def test_set_quantity_of_a_line_not_in_the_cart_is_refused(any_cart):
    cart, shopper = any_cart
    variant = VariantFactory()
    with pytest.raises(CartError) as error:
        services.cart_set_quantity(
            shopper=shopper, cart=cart, variant_id=variant.pk, quantity=1
        )
    assert error.value.code == "not_in_cart"


def test_remove_and_clear(any_cart):
    cart, shopper = any_cart
    first, second = VariantFactory(), VariantFactory()
    services.cart_add(shopper=shopper, cart=cart, variant_id=first.pk)
    services.cart_add(shopper=shopper, cart=cart, variant_id=second.pk)
    services.cart_remove(cart=cart, variant_id=first.pk)
    services.cart_remove(cart=cart, variant_id=first.pk)
    assert stored_items(cart) == {second.pk: 1}
    services.cart_clear(cart=cart)
    assert stored_items(cart) == {}


def test_a_tampered_session_cart_is_read_safely(guest_cart, session):
    variant = VariantFactory()
    session[SESSION_KEY] = {str(variant.pk): 2, "x": 1, "7": "many", "8": -3}
    assert stored_items(guest_cart) == {variant.pk: 2}
    session[SESSION_KEY] = ["not", "a", "dict"]
    assert stored_items(guest_cart) == {}


def test_merge_adds_quantities_caps_at_stock_and_drops_unavailable(
    guest_cart, session, member, shopper, member_shopper
):
    plenty = VariantFactory(stock=10)
    scarce = VariantFactory(stock=3, product__title="限量豆")
    gone = VariantFactory(stock=5)
    services.cart_add(
        shopper=member_shopper, cart=member_cart_of(member), variant_id=plenty.pk
    )
    services.cart_add(
        shopper=member_shopper,
        cart=member_cart_of(member),
        variant_id=scarce.pk,
        quantity=2,
    )
    services.cart_add(
        shopper=shopper, cart=guest_cart, variant_id=plenty.pk, quantity=4
    )
    services.cart_add(
        shopper=shopper, cart=guest_cart, variant_id=scarce.pk, quantity=3
    )
    services.cart_add(shopper=shopper, cart=guest_cart, variant_id=gone.pk)
    gone.is_active = False
    gone.save()

    notes = services.cart_merge_at_login(
        shopper=member_shopper, session=session, user=member
    )

    assert notes == [
        "Only 3 left of 限量豆: your cart now has 3.",
        "An item in your cart is no longer available and was removed.",
    ]
    assert stored_items(member_cart_of(member)) == {plenty.pk: 5, scarce.pk: 3}
    assert SESSION_KEY not in session


def member_cart_of(user):
    return CartRef(user=user)


def test_logging_in_merges_the_session_cart_and_says_what_was_capped(client, member):
    variant = VariantFactory(stock=2, product__title="冷萃瓶", price=Decimal("680"))
    CartLine.objects.create(
        cart=Cart.objects.create(user=member), variant=variant, quantity=1
    )
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 2})

    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct-horse-42"},
        follow=True,
    )

    assert response.context["user"] == member
    assert CartLine.objects.get(cart__user=member).quantity == 2
    messages = [str(m) for m in response.context["messages"]]
    assert "Only 2 left of 冷萃瓶: your cart now has 2." in messages
    assert client.get("/cart/").context["summary"].item_count == 2


def test_the_login_receiver_ignores_requests_without_a_session(member):
    request = RequestFactory().get("/")
    user_logged_in.send(sender=type(member), request=request, user=member)
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("variant_id", [10**20, -(10**20)])
def test_ids_beyond_64_bits_are_refused_as_unavailable(any_cart, variant_id):
    cart, shopper = any_cart
    with pytest.raises(CartError) as add:
        services.cart_add(shopper=shopper, cart=cart, variant_id=variant_id)
    with pytest.raises(CartError) as remove:
        services.cart_remove(cart=cart, variant_id=variant_id)
    assert (add.value.code, remove.value.code) == ("unavailable", "unavailable")
    assert add.value.message == "Sorry, this product is no longer available."
