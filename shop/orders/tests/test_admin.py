import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop.accounts.tests.factories import StaffFactory
from shop.catalog.models import StockMovement
from shop.catalog.tests.factories import VariantFactory
from shop.core.roles import CUSTOMER_SERVICE, MERCHANT
from shop.orders import services
from shop.orders.models import Order, OrderEvent
from shop.orders.status import OrderStatus as S
from shop.orders.status import PaymentStatus as P
from shop.orders.tests.factories import order_with_lines

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_order_changelist")


@pytest.fixture
def merchant(client):
    user = StaffFactory(email="owner@example.com")
    user.groups.set(Group.objects.filter(name=MERCHANT))
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def act(client, action, orders, **extra):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [o.pk for o in orders],
            **extra,
        },
        follow=True,
    )


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def status(order):
    return Order.objects.get(pk=order.pk).status


def test_changelist_shows_orders(client, merchant):
    order = order_with_lines(customer_name="林小姐")

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert order.number in body
    assert "林小姐" in body
    assert "NT$3,090" in body


def test_changelist_query_count_is_constant(client, merchant):
    variant = VariantFactory(stock=1000)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CHANGELIST).status_code == 200
        return len(captured)

    for _ in range(3):
        order_with_lines(items=[(variant, 1)])
    queries()
    with_three = queries()
    order_with_lines(items=[(variant, 1)], payment_method="cod")
    with_four = queries()

    assert with_four == with_three


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"status__exact": "paid"}, ["PAID"]),
        ({"payment_status": "paid"}, ["PAID"]),
        ({"payment_method": "cod"}, ["COD"]),
        ({"shipping_method": "cvs_711"}, ["COD"]),
        ({"q": "0987654321"}, ["COD"]),
        ({"q": "TRACK-77"}, ["COD"]),
        ({"q": "ATM"}, ["ATM"]),
        ({"q": "lin@example.com"}, ["ATM"]),
    ],
)
def test_filters_and_search(client, merchant, params, expected):
    variant = VariantFactory(stock=100)
    order_with_lines(
        number="ATM", items=[(variant, 1)], email="lin@example.com", customer_name="林"
    )
    paid = order_with_lines(number="PAID", items=[(variant, 1)])
    services.order_mark_paid(order=paid)
    order_with_lines(
        number="COD",
        items=[(variant, 1)],
        payment_method="cod",
        phone="0987654321",
        shipping_method_code="cvs_711",
        shipping_method_name="7-ELEVEN 取貨",
        tracking_number="TRACK-77",
    )

    response = client.get(CHANGELIST, params)

    assert response.status_code == 200
    numbers = [o.number for o in response.context["cl"].result_list]
    assert numbers == expected


def test_mark_paid_action(client, merchant):
    order = order_with_lines()

    response = act(client, "mark_paid", [order])

    assert response.status_code == 200
    assert status(order) == S.PAID
    assert order.payments.get().status == P.PAID
    event = OrderEvent.objects.get(order=order, to_status=S.PAID)
    assert (event.from_status, event.actor_id) == (S.PENDING_PAYMENT, merchant.pk)
    assert texts(response) == ["1 order marked paid."]


def test_illegal_action_is_a_message_not_an_error(client, merchant):
    shipped = order_with_lines(status=S.SHIPPED)
    pending = order_with_lines()

    response = act(client, "mark_delivered", [shipped, pending])

    assert response.status_code == 200
    assert status(shipped) == S.DELIVERED
    assert status(pending) == S.PENDING_PAYMENT
    assert texts(response) == [
        f"Order {pending.number} cannot go from “Pending payment” to “Delivered”.",
        "1 order marked delivered.",
    ]


def test_ship_action_asks_for_carrier_and_tracking(client, merchant):
    first = order_with_lines(status=S.PROCESSING)
    second = order_with_lines(status=S.PAID)

    form = client.post(
        CHANGELIST,
        {"action": "ship", helpers.ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
    )

    assert form.status_code == 200
    assert [order.number for order, _f in form.context["rows"]] == [
        first.number,
        second.number,
    ]
    assert status(first) == S.PROCESSING

    response = act(
        client,
        "ship",
        [first, second],
        apply="1",
        **{
            "ship-TOTAL_FORMS": "2",
            "ship-INITIAL_FORMS": "2",
            "ship-0-order_id": str(first.pk),
            "ship-0-carrier": "T-Cat",
            "ship-0-tracking_number": "111",
            "ship-1-order_id": str(second.pk),
            "ship-1-carrier": "Chunghwa Post",
            "ship-1-tracking_number": "222",
        },
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.carrier, first.tracking_number) == (
        S.SHIPPED,
        "T-Cat",
        "111",
    )
    assert (second.status, second.carrier, second.tracking_number) == (
        S.SHIPPED,
        "Chunghwa Post",
        "222",
    )
    assert texts(response) == ["2 orders shipped."]


def test_ship_action_without_tracking_number_shows_the_form_again(client, merchant):
    order = order_with_lines(status=S.PROCESSING)

    response = client.post(
        CHANGELIST,
        {
            "action": "ship",
            helpers.ACTION_CHECKBOX_NAME: [order.pk],
            "apply": "1",
            "ship-TOTAL_FORMS": "1",
            "ship-INITIAL_FORMS": "1",
            "ship-0-order_id": str(order.pk),
            "ship-0-carrier": "T-Cat",
            "ship-0-tracking_number": "",
        },
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {
        "tracking_number": ["This field is required."]
    }
    assert status(order) == S.PROCESSING


def test_deliver_action(client, merchant):
    order = order_with_lines(payment_method="cod", status=S.SHIPPED)

    response = act(client, "mark_delivered", [order])

    assert status(order) == S.DELIVERED
    assert order.payments.get().status == P.PAID
    assert texts(response) == ["1 order marked delivered."]


def test_complete_action_waits_for_the_cooling_off_period(client, merchant):
    early = order_with_lines(payment_method="cod", status=S.DELIVERED)
    early.delivered_at = timezone.now() - timedelta(days=2)
    early.save(update_fields=["delivered_at"])
    due = order_with_lines(payment_method="cod", status=S.DELIVERED)
    due.delivered_at = timezone.now() - timedelta(days=8)
    due.save(update_fields=["delivered_at"])

    response = act(client, "complete", [early, due])

    assert (status(early), status(due)) == (S.DELIVERED, S.COMPLETED)
    event = OrderEvent.objects.get(order=due, to_status=S.COMPLETED)
    assert event.actor_id == merchant.pk
    refused, done = texts(response)
    assert refused.startswith(f"Order {early.number} is in its cooling-off period")
    assert done == "1 order completed."


def test_cancel_action_restocks(client, merchant):
    order = order_with_lines()

    confirm = client.post(
        CHANGELIST, {"action": "cancel", helpers.ACTION_CHECKBOX_NAME: [order.pk]}
    )
    assert confirm.status_code == 200
    assert status(order) == S.PENDING_PAYMENT

    response = act(client, "cancel", [order], apply="1", reason="Out of stock")

    assert status(order) == S.CANCELLED
    assert sorted(
        StockMovement.objects.filter(
            reason=StockMovement.Reason.ORDER_CANCELLED, reference=order.number
        ).values_list("delta", flat=True)
    ) == [1, 2]
    event = OrderEvent.objects.get(order=order, to_status=S.CANCELLED)
    assert (event.actor_id, event.note) == (merchant.pk, "Out of stock")
    assert texts(response) == ["1 order cancelled and restocked."]


def test_cancel_of_a_shipped_order_is_refused_with_a_message(client, merchant):
    order = order_with_lines(status=S.SHIPPED)

    response = act(client, "cancel", [order], apply="1", reason="")

    assert response.status_code == 200
    assert status(order) == S.SHIPPED
    assert texts(response) == [
        f"Order {order.number} cannot go from “Shipped” to “Cancelled”."
    ]


def test_change_page_buttons_move_one_order(client, merchant):
    order = order_with_lines()
    change = reverse("admin:orders_order_change", args=[order.pk])

    page = client.get(change)
    assert page.status_code == 200
    assert [a for a, _l, _f in page.context["order_buttons"]] == ["mark_paid", "cancel"]
    # Browsers ignore a form nested in another: the buttons' forms must come
    # before the change form, not inside it.
    html = page.content.decode()
    button_form = html.index(
        reverse("admin:orders_order_transition", args=[order.pk, "mark_paid"])
    )
    assert button_form < html.index('id="order_form"')

    response = client.post(
        reverse("admin:orders_order_transition", args=[order.pk, "mark_paid"]),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == change
    assert status(order) == S.PAID

    page = client.get(change)
    assert [a for a, _l, _f in page.context["order_buttons"]] == [
        "start_processing",
        "ship",
        "cancel",
    ]
    ship = client.get(reverse("admin:orders_order_transition", args=[order.pk, "ship"]))
    assert ship.status_code == 200
    assert "ship-0-tracking_number" in ship.content.decode()


def test_transition_buttons_refuse_get_and_unknown_actions(client, merchant):
    order = order_with_lines()

    get = client.get(
        reverse("admin:orders_order_transition", args=[order.pk, "mark_paid"])
    )
    unknown = client.post(
        reverse("admin:orders_order_transition", args=[order.pk, "delete"])
    )

    assert get.status_code == 302
    assert unknown.status_code == 404
    assert status(order) == S.PENDING_PAYMENT


def test_change_page_shows_inlines(client, merchant):
    from decimal import Decimal

    order = order_with_lines(discount=Decimal("100"))

    response = client.get(reverse("admin:orders_order_change", args=[order.pk]))

    body = response.content.decode()
    assert "新會員折扣" in body
    assert "-NT$100" in body
    assert "運費（宅配）" in body


def test_packing_slip(client, merchant):
    order = order_with_lines(payment_method="cod", customer_note="請放管理室")

    response = client.get(reverse("admin:orders_order_packing_slip", args=[order.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert order.number in body
    assert "@media print" in body
    assert "Collect on delivery: NT$3,090" in body
    assert "請放管理室" in body
    for line in order.lines.all():
        assert line.sku in body


def test_csv_export_one_row_per_order(client, merchant):
    variant = VariantFactory(stock=100)
    first = order_with_lines(items=[(variant, 2)], customer_name="=HYPERLINK()")
    second = order_with_lines(items=[(variant, 1)], payment_method="cod")

    response = client.post(
        CHANGELIST,
        {"action": "export_csv", helpers.ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    header, *data = rows
    assert header[:3] == ["Order number", "Placed", "Status"]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    assert set(by_number) == {first.number, second.number}
    assert by_number[first.number]["Customer"] == "'=HYPERLINK()"
    assert by_number[first.number]["Items"] == "2"
    assert by_number[first.number]["Total"] == "2640"
    assert by_number[first.number]["Payment status"] == "Pending"
    assert by_number[second.number]["Status"] == "Processing"
    assert by_number[second.number]["Payment method"] == "Cash on delivery"


def test_customer_service_reads_but_cannot_move_orders(client):
    user = StaffFactory(email="cs@example.com")
    user.groups.set(Group.objects.filter(name=CUSTOMER_SERVICE))
    client.force_login(user)
    order = order_with_lines()

    changelist = client.get(CHANGELIST)
    change = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    slip = client.get(reverse("admin:orders_order_packing_slip", args=[order.pk]))
    action = client.post(
        CHANGELIST, {"action": "mark_paid", helpers.ACTION_CHECKBOX_NAME: [order.pk]}
    )
    button = client.post(
        reverse("admin:orders_order_transition", args=[order.pk, "mark_paid"])
    )

    assert changelist.status_code == 200
    assert set(changelist.context["action_form"].fields["action"].choices) == {
        ("", "---------"),
        ("print_packing_slips", "Print packing slips"),
        ("export_csv", "Export to CSV (one row per order)"),
    }
    assert change.status_code == 200
    assert change.context["order_buttons"] == []
    assert slip.status_code == 200
    assert action.status_code in (200, 302)
    assert button.status_code == 403
    assert status(order) == S.PENDING_PAYMENT


def test_orders_cannot_be_added_or_deleted(client, merchant):
    order = order_with_lines()

    assert client.get(reverse("admin:orders_order_add")).status_code == 403
    assert (
        client.get(reverse("admin:orders_order_delete", args=[order.pk])).status_code
        == 403
    )
