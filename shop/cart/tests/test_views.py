from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.cart import services
from shop.cart.storage import CartRef, stored_items
from shop.catalog.tests.factories import (
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from shop.checkout.models import ShippingMethod


@pytest.fixture
def home_delivery(db):
    method, _created = ShippingMethod.objects.update_or_create(
        code="home",
        defaults={
            "name": "宅配到府",
            "kind": "home",
            "fee": Decimal("100"),
            "free_shipping_threshold": Decimal("1500"),
            "position": 1,
        },
    )
    ShippingMethod.objects.exclude(pk=method.pk).update(is_active=False)
    return method


def _cart_of(client):
    return stored_items(CartRef(session=client.session))


def test_empty_cart_page(client, home_delivery):
    response = client.get("/cart/")
    assert response.status_code == 200
    assert "Your cart is empty." in response.content.decode()
    assert response.context["summary"].is_empty


def test_add_by_variant_then_page_shows_quote_prices(client, home_delivery):
    variant = VariantFactory(price=Decimal("450"), stock=5, option1="200g")
    response = client.post("/cart/add/", {"variant": variant.pk, "quantity": 3})
    assert response.status_code == 302
    assert response.url == "/cart/"
    page = client.get("/cart/")
    summary = page.context["summary"]
    assert [(line.variant.pk, line.quantity) for line in summary.lines] == [
        (variant.pk, 3)
    ]
    quote = page.context["quote"]
    assert quote.subtotal.amount == Decimal("1350")
    assert [(a.label, a.amount.amount) for a in quote.adjustments] == [
        ("Shipping (宅配到府)", Decimal("100"))
    ]
    assert quote.total.amount == Decimal("1450")
    assert quote.notes == ["Spend NT$150 more for free shipping with 宅配到府."]
    html = page.content.decode()
    assert "NT$1,350" in html and "NT$1,450" in html and "200g" in html
    assert "Cart (3)" in html


def test_add_by_product_options_as_the_product_page_posts(client, home_delivery):
    product = ProductFactory(option1_name="尺寸", option2_name="顏色")
    VariantFactory(product=product, option1="M", option2="白")
    wanted = VariantFactory(product=product, option1="L", option2="白")
    response = client.post(
        "/cart/add/",
        {
            "product": product.pk,
            "option1": "L",
            "option2": "白",
            "quantity": 1,
            "next": product.get_absolute_url(),
        },
    )
    assert response.url == "/cart/"
    assert _cart_of(client) == {wanted.pk: 1}


def test_add_with_unknown_options_goes_back_with_a_message(client, home_delivery):
    product = ProductFactory()
    VariantFactory(product=product, option1="M")
    back = product.get_absolute_url()
    response = client.post(
        "/cart/add/",
        {"product": product.pk, "option1": "XXL", "quantity": 1, "next": back},
        follow=True,
    )
    assert response.redirect_chain[0] == (back, 302)
    assert [str(m) for m in response.context["messages"]] == [
        "This combination is not available. Please choose another."
    ]
    assert _cart_of(client) == {}


def test_show_button_reloads_the_product_page_for_the_options(client, db):
    product = ProductFactory()
    response = client.post(
        "/cart/add/",
        {
            "product": product.pk,
            "option1": "L",
            "option2": "白",
            "action": "show",
            "next": product.get_absolute_url(),
        },
    )
    assert response.url == f"{product.get_absolute_url()}?option1=L&option2=%E7%99%BD"


def test_add_refused_keeps_cart_and_says_why(client, home_delivery):
    variant = VariantFactory(stock=1, product__title="掛耳包")
    response = client.post(
        "/cart/add/",
        {"variant": variant.pk, "quantity": 2, "next": "https://evil.example/"},
        follow=True,
    )
    assert response.redirect_chain[0] == ("/cart/", 302)
    assert [str(m) for m in response.context["messages"]] == ["Only 1 left of 掛耳包."]


def test_update_and_remove_forms(client, home_delivery):
    variant = VariantFactory(stock=9)
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
    response = client.post(
        "/cart/update/", {"variant": variant.pk, "quantity": 4}, follow=True
    )
    assert _cart_of(client) == {variant.pk: 4}
    assert [str(m) for m in response.context["messages"]] == [
        "Added to your cart.",
        "Your cart has been updated.",
    ]
    response = client.post(
        "/cart/update/", {"variant": variant.pk, "quantity": "x"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Enter a whole number."]
    client.post("/cart/remove/", {"variant": variant.pk})
    assert _cart_of(client) == {}
    assert client.get("/cart/add/").status_code == 405


def test_lines_that_cannot_be_bought_are_flagged_and_block_checkout(
    client, home_delivery
):
    fine = VariantFactory(stock=5, price=Decimal("300"))
    short = VariantFactory(stock=5, price=Decimal("200"))
    sold_out = VariantFactory(stock=5)
    for variant, quantity in ((fine, 1), (short, 4), (sold_out, 1)):
        client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity})
    short.stock = 2
    short.save()
    sold_out.stock = 0
    sold_out.save()

    page = client.get("/cart/")

    problems = {line.variant.pk: line.problem for line in page.context["summary"].lines}
    assert problems == {
        fine.pk: "",
        short.pk: "Only 2 left. Please lower the quantity.",
        sold_out.pk: "Sold out. Please remove it from your cart.",
    }
    assert page.context["quote"].subtotal.amount == Decimal("1100")
    assert not page.context["summary"].can_check_out
    assert (
        "Please fix the items marked above before checking out."
        in page.content.decode()
    )


def test_shipping_estimate_follows_the_chosen_method(client, home_delivery):
    pickup = ShippingMethod.objects.create(
        code="cvs-test",
        name="超商",
        kind="cvs_711",
        fee=Decimal("60"),
        free_shipping_threshold=Decimal("990"),
        position=2,
    )
    variant = VariantFactory(price=Decimal("1000"))
    client.post("/cart/add/", {"variant": variant.pk})
    quote = client.get("/cart/?shipping=cvs-test").context["quote"]
    assert quote.shipping_total.amount == Decimal("0")
    assert quote.adjustments[0].label == "Free shipping (超商)"
    assert quote.total.amount == Decimal("1000")
    assert (
        client.get("/cart/?shipping=nope").context["shipping_method"] == home_delivery
    )
    assert pickup.pk


def _fill_cart(cart, shopper, count):
    for _ in range(count):
        variant = VariantFactory(stock=5)
        ProductImageFactory(product=variant.product)
        ProductImageFactory(product=variant.product)
        services.cart_add(shopper=shopper, cart=cart, variant_id=variant.pk)


def _count_queries(client, path="/cart/"):
    # Warm first: creating categories in the factories drops the cached tree.
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


def test_cart_page_queries_do_not_grow_with_lines_for_a_member(
    client, member, member_cart, member_shopper, home_delivery
):
    client.force_login(member)
    _fill_cart(member_cart, member_shopper, 3)
    client.get("/cart/")  # warm the category tree cache
    three, response = _count_queries(client)
    assert len(response.context["summary"].lines) == 3
    _fill_cart(member_cart, member_shopper, 1)
    four, response = _count_queries(client)
    assert len(response.context["summary"].lines) == 4
    assert three == four


def test_cart_page_queries_do_not_grow_with_lines_for_a_guest(client, home_delivery):
    for _ in range(3):
        variant = VariantFactory(stock=5)
        ProductImageFactory(product=variant.product)
        client.post("/cart/add/", {"variant": variant.pk})
    client.get("/cart/")
    three, _response = _count_queries(client)
    variant = VariantFactory(stock=5)
    ProductImageFactory(product=variant.product)
    client.post("/cart/add/", {"variant": variant.pk})
    four, response = _count_queries(client)
    assert len(response.context["summary"].lines) == 4
    assert three == four


def test_header_count_costs_no_query_for_a_guest_without_a_cart(client, home_delivery):
    client.get("/cart/")
    _queries, response = _count_queries(client)
    assert "Cart (0)" in response.content.decode()


def test_the_add_to_cart_include_posts_the_product_pages_choice(client, home_delivery):
    from django.template.loader import render_to_string

    product = ProductFactory(option1_name="尺寸")
    VariantFactory(product=product, option1="S", stock=0)
    chosen = VariantFactory(product=product, option1="M", stock=4)
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200
    context = {
        key: page.context[key]
        for key in ("product", "option_groups", "selected_variant")
    }
    html = render_to_string(
        "cart/_add_to_cart.html", context, request=page.wsgi_request
    )
    assert 'action="/cart/add/"' in html
    assert 'name="option1" value="M" checked' in html
    assert f'name="product" value="{product.pk}"' in html

    client.post(
        "/cart/add/",
        {"product": product.pk, "option1": "M", "quantity": "2", "action": "add"},
    )
    assert _cart_of(client) == {chosen.pk: 2}


def test_the_include_posts_a_single_variant_by_id(client, home_delivery):
    from django.template.loader import render_to_string

    variant = VariantFactory(stock=4)
    page = client.get(variant.product.get_absolute_url())
    context = {
        key: page.context[key]
        for key in ("product", "option_groups", "selected_variant")
    }
    html = render_to_string(
        "cart/_add_to_cart.html", context, request=page.wsgi_request
    )
    assert f'name="variant" value="{variant.pk}"' in html


@pytest.mark.parametrize("field", ["variant", "product"])
def test_add_with_an_id_beyond_64_bits_is_a_form_error_not_a_crash(
    client, home_delivery, field
):
    response = client.post("/cart/add/", {field: str(10**20)}, follow=True)
    assert response.redirect_chain == [("/cart/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Ensure this value is less than or equal to 9223372036854775807."
    ]
    assert _cart_of(client) == {}


def test_remove_with_an_id_beyond_64_bits_for_a_member_is_a_form_error(
    client, home_delivery, member
):
    variant = VariantFactory(stock=9)
    client.force_login(member)
    client.post("/cart/add/", {"variant": variant.pk})
    response = client.post("/cart/remove/", {"variant": str(10**20)}, follow=True)
    assert response.redirect_chain == [("/cart/", 302)]
    assert [str(m) for m in response.context["messages"]][-1] == (
        "Ensure this value is less than or equal to 9223372036854775807."
    )
    assert stored_items(CartRef(user=member)) == {variant.pk: 1}
