from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from shop.accounts.tests.factories import UserFactory
from shop.orders import services
from shop.orders.status import OrderStatus as S
from shop.orders.tests.factories import OrderFactory, order_with_lines

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_history_requires_login(client):
    response = client.get(reverse("orders:history"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_detail_requires_login(client):
    order = order_with_lines()

    response = client.get(order.get_absolute_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_history_lists_only_my_orders_newest_first(client, member):
    mine_old = order_with_lines(user=member, number="261101AAAAA")
    mine_new = order_with_lines(user=member, number="261120BBBBB")
    mine_new.placed_at = mine_old.placed_at.replace(year=mine_old.placed_at.year + 1)
    mine_new.save()
    order_with_lines(user=UserFactory(), number="261120CCCCC")

    response = client.get(reverse("orders:history"))

    assert response.status_code == 200
    assert [o.number for o in response.context["orders"]] == [
        "261120BBBBB",
        "261101AAAAA",
    ]
    body = response.content.decode()
    assert "261120CCCCC" not in body
    assert "NT$3,090" in body
    assert "Pending payment" in body
    assert response.context["orders"][0].item_count == 3


def test_history_is_paginated(client, member):
    for i in range(12):
        OrderFactory(user=member, number=f"2611P{i:05d}")

    first = client.get(reverse("orders:history"))
    second = client.get(reverse("orders:history"), {"page": 2})
    beyond = client.get(reverse("orders:history"), {"page": "x"})

    assert len(first.context["orders"]) == 10
    assert len(second.context["orders"]) == 2
    assert beyond.status_code == 200
    assert beyond.context["orders"].number == 1


def test_history_query_count_does_not_grow(client, member):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("orders:history")).status_code == 200
        return len(captured)

    from shop.catalog.tests.factories import VariantFactory

    # Made up front: a new product would empty the catalogue's menu cache.
    variant = VariantFactory(stock=100)
    for _ in range(3):
        order_with_lines(user=member, items=[(variant, 1)])
    queries()  # warms the per-process caches (category menu, site)
    with_three = queries()
    order_with_lines(user=member, items=[(variant, 2)])
    with_four = queries()

    assert with_four == with_three


def test_detail_shows_lines_adjustments_shipping_payment_and_timeline(client, member):
    order = order_with_lines(user=member, discount=Decimal("100"))
    services.order_mark_paid(order=order)
    services.order_ship(order=order, carrier="T-Cat", tracking_number="9012-3456")

    response = client.get(order.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        order.number,
        "SKU-",
        "新會員折扣",
        "-NT$100",
        "運費（宅配）",
        "NT$2,990",
        "106 臺北市 大安區 復興南路一段1號",
        "T-Cat",
        "9012-3456",
        "ATM / bank transfer",
        "Order placed",
        "Shipped",
    ):
        assert text in body, text
    assert [entry.label for entry in response.context["timeline"]] == [
        "Order placed",
        "Paid",
        "Processing",
        "Shipped",
    ]


def test_detail_query_count_does_not_grow_with_lines(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shop.catalog.tests.factories import VariantFactory

    def queries(order):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(order.get_absolute_url()).status_code == 200
        return len(captured)

    variants = [VariantFactory() for _ in range(5)]
    two = order_with_lines(user=member, items=[(v, 1) for v in variants[:2]])
    five = order_with_lines(user=member, items=[(v, 1) for v in variants])

    queries(two)  # warms the per-process caches (category menu, site)
    assert queries(five) == queries(two)


def test_another_members_order_is_a_404(client, member):
    order = order_with_lines(user=UserFactory())

    assert client.get(order.get_absolute_url()).status_code == 404
    assert client.get(reverse("orders:detail", args=["NOSUCH"])).status_code == 404


def test_a_guest_order_is_not_visible_in_the_member_area(client, member):
    order = order_with_lines(email=member.email)

    assert client.get(order.get_absolute_url()).status_code == 404


def test_atm_order_shows_how_to_pay(client, member):
    order = order_with_lines(user=member, payment_method="atm")

    body = client.get(order.get_absolute_url()).content.decode()

    assert "How to pay" in body
    assert settings.ATM_BANK_ACCOUNT["account"] in body


def test_atm_order_shows_the_account_stored_at_placement(client, member, settings):
    order = order_with_lines(user=member, payment_method="atm")
    told = {
        "bank_code": "812",
        "bank_name": "台新國際商業銀行",
        "account": "20680100012345",
        "holder": "咖啡小舖有限公司",
    }
    order.payments.update(data={"bank": told, "pay_by": "2026-11-25T00:00:00+08:00"})
    settings.ATM_BANK_ACCOUNT = {**told, "account": "99990000111122"}

    body = client.get(order.get_absolute_url()).content.decode()

    assert "20680100012345" in body
    assert "99990000111122" not in body


# --- guest lookup ----------------------------------------------------------------


def test_guest_finds_order_by_number_and_email(client):
    order = order_with_lines(email="Guest@Example.com", number="261122ABCDE")

    response = client.post(
        reverse("orders:lookup"),
        {"number": " 261122abcde ", "email": "guest@example.com"},
    )

    assert response.status_code == 302
    assert response.url == reverse("orders:guest_detail", args=[order.number])
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["order"] == order
    assert "261122ABCDE" in page.content.decode()


def test_guest_detail_needs_the_lookup_in_this_session(client):
    order = order_with_lines(number="261122ABCDE")

    response = client.get(reverse("orders:guest_detail", args=[order.number]))

    assert response.status_code == 302
    assert response.url == reverse("orders:lookup")


def test_session_grant_does_not_extend_to_other_orders(client):
    first = order_with_lines(email="a@example.com", number="261122AAAAA")
    other = order_with_lines(email="b@example.com", number="261122BBBBB")
    client.post(
        reverse("orders:lookup"), {"number": first.number, "email": "a@example.com"}
    )

    response = client.get(reverse("orders:guest_detail", args=[other.number]))

    assert response.status_code == 302


@pytest.mark.parametrize(
    "number,email",
    [
        ("261122ABCDE", "wrong@example.com"),
        ("261122ZZZZZ", "guest@example.com"),
        ("261122ZZZZZ", "wrong@example.com"),
    ],
)
def test_wrong_pair_gets_the_same_generic_error(client, number, email):
    order_with_lines(email="guest@example.com", number="261122ABCDE")

    response = client.post(reverse("orders:lookup"), {"number": number, "email": email})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "We could not find an order with that number and email address."
    ]


def test_lookup_form_errors_are_field_errors(client):
    response = client.post(reverse("orders:lookup"), {"number": "", "email": "nope"})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"number", "email"}


def test_lookup_is_rate_limited(client, settings):
    settings.ORDER_LOOKUP_MAX_ATTEMPTS = 3
    order = order_with_lines(email="guest@example.com", number="261122ABCDE")
    for i in range(3):
        client.post(
            reverse("orders:lookup"),
            {"number": f"26112{i}XXXXX", "email": "x@example.com"},
        )

    response = client.post(
        reverse("orders:lookup"), {"number": order.number, "email": "guest@example.com"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Too many attempts. Please try again in a few minutes."
    ]


def test_lookup_limits_guesses_at_one_order_from_many_addresses(client, settings):
    settings.ORDER_LOOKUP_MAX_ATTEMPTS = 2
    order = order_with_lines(email="guest@example.com", number="261122ABCDE")
    for i in range(2):
        client.post(
            reverse("orders:lookup"),
            {"number": order.number, "email": f"guess{i}@example.com"},
            REMOTE_ADDR=f"10.0.0.{i}",
        )

    response = client.post(
        reverse("orders:lookup"),
        {"number": order.number, "email": "guest@example.com"},
        REMOTE_ADDR="10.0.0.99",
    )

    assert response.status_code == 400


def test_lookup_page_renders(client):
    response = client.get(reverse("orders:lookup"))

    assert response.status_code == 200
    assert "Find your order" in response.content.decode()


def test_cancelled_order_shows_no_progress_and_the_reason(client, member):
    order = order_with_lines(user=member)
    services.order_cancel(order=order, reason="Changed my mind")

    response = client.get(order.get_absolute_url())

    assert response.context["summary"].progress == []
    assert "Changed my mind" in response.content.decode()
    assert response.context["order"].status == S.CANCELLED


def test_member_area_has_my_orders_link_and_recent_orders_card(client, member):
    order = order_with_lines(user=member)

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{reverse("orders:history")}"' in body
    assert "Recent orders" in body
    assert order.number in body


def test_history_page_marks_my_orders_as_current(client, member):
    response = client.get(reverse("orders:history"))

    assert f'href="{reverse("orders:history")}" aria-current="page"' in (
        response.content.decode()
    )
