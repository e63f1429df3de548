"""Asking for a return on the member's pages: the form, the happy path, refusals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from returns.models import ReturnRequest, ReturnStatus
from returns.tests.factories import delivered_order, exchange_variant_for
from returns.tests.portal.support import form_data, photo
from shop.catalog.tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def create_url(order) -> str:
    return reverse("returns:create", kwargs={"order_number": order.number})


def lines_of(order):
    return list(order.lines.order_by("pk"))


def test_the_form_shows_each_line_with_its_window(client, order):
    response = client.get(create_url(order))

    assert response.status_code == 200
    html = response.content.decode()
    ends = (order.delivered_at + timedelta(days=7)).date()
    assert "Free return until" in html and "(cooling-off period)" in html
    assert response.context["windows"][
        lines_of(order)[0].pk
    ].cooling_off_ends.date() == (ends)
    first = response.context["form"].lines[0]
    assert [v for v, _label in first.fields["quantity"].widget.choices] == [0, 1, 2]
    # Credit is offered to a member, no exchange without another option.
    assert [
        v
        for v, _l in response.context["form"].request_form.fields["resolution"].choices
    ] == ["refund", "credit"]
    # Paid by card: no bank account is asked for.
    assert "bank_code" not in response.context["form"].request_form.fields


def test_a_member_asks_for_a_return_with_a_photo(client, order, member):
    first, _second = lines_of(order)

    response = client.post(
        create_url(order),
        form_data(
            order,
            lines={
                first: {
                    "quantity": 1,
                    "reason": "defective",
                    "photos": [photo("a.jpg"), photo("b.jpg")],
                }
            },
        ),
    )

    created = ReturnRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("returns:created", kwargs={"number": created.number})
    assert (created.user, created.status, created.resolution, created.method) == (
        member,
        ReturnStatus.REQUESTED,
        "refund",
        "cvs",
    )
    line = created.lines.get()
    assert (line.order_line, line.quantity, line.reason) == (first, 1, "defective")
    assert line.photos.count() == 2

    page = client.get(response.url)

    assert page.status_code == 200
    html = page.content.decode()
    assert created.number in html
    preview = page.context["preview"]
    assert preview.estimate is True
    assert preview.total == Decimal("1280")
    assert "Expected refund" in html
    assert html.count('class="return-photos"') == 1


def test_an_exchange_shows_the_options_with_their_stock(client, member):
    product = ProductFactory()
    bought = VariantFactory(product=product, price=Decimal("990"), stock=5)
    order = delivered_order(user=member, items=[(bought, 1)])
    line = lines_of(order)[0]
    in_stock = exchange_variant_for(line, stock=3)
    sold_out = VariantFactory(
        product=product, price=Decimal("990"), stock=0, option1="XL"
    )
    # Dearer than the one bought: an exchange moves no money, so not offered.
    VariantFactory(product=product, price=Decimal("1990"), stock=9, option1="Gold")

    page = client.get(create_url(order))
    html = page.content.decode()

    assert "另一個選項 (3 in stock)" in html
    assert f'<option value="{sold_out.pk}" disabled>XL (out of stock)</option>' in html
    assert "Gold" not in html
    response = client.post(
        create_url(order),
        form_data(
            order,
            resolution="exchange",
            lines={
                line: {
                    "quantity": 1,
                    "reason": "wrong_size",
                    "exchange_variant": in_stock.pk,
                }
            },
        ),
    )
    assert response.status_code == 302
    created = ReturnRequest.objects.get()
    assert created.lines.get().exchange_variant == in_stock
    in_stock.refresh_from_db()
    assert in_stock.stock == 2


# --- Refusals, each beside its field ------------------------------------------


def post_one(client, order, line, **fields):
    fields.setdefault("quantity", 1)
    fields.setdefault("reason", "changed_mind")
    extra = fields.pop("extra", {})
    resolution = fields.pop("resolution", "refund")
    return client.post(
        create_url(order),
        form_data(order, lines={line: fields}, resolution=resolution, **extra),
    )


def line_errors(response, line) -> dict:
    return response.context["form"].line_forms[line.pk].errors


def test_window_closed_is_refused_on_the_line(client, member):
    order = delivered_order(
        user=member, delivered_at=timezone.now() - timedelta(days=40)
    )
    line = lines_of(order)[0]

    page = client.get(create_url(order))
    response = post_one(client, order, line)

    assert "The return window for this order closed on" in page.content.decode()
    assert page.context["can_return"] is False
    assert response.status_code == 400
    [message] = line_errors(response, line)["__all__"]
    assert message.startswith("The return window for this order closed on ")
    assert ReturnRequest.objects.count() == 0


def test_a_non_returnable_line_is_refused_unless_faulty(client, member):
    product = ProductFactory(
        non_returnable_reason="Opened cosmetics cannot be returned."
    )
    variant = VariantFactory(product=product, price=Decimal("600"), stock=4)
    order = delivered_order(user=member, items=[(variant, 1)])
    line = lines_of(order)[0]

    page = client.get(create_url(order))
    refused = post_one(client, order, line, reason="changed_mind")

    html = page.content.decode()
    assert "Opened cosmetics cannot be returned. Only a defective" in html
    reasons = page.context["form"].lines[0].fields["reason"].widget.choices
    assert [v for v, _l in reasons] == ["", "not_as_described", "defective", "damaged"]
    assert refused.status_code == 400
    assert line_errors(refused, line) == {
        "__all__": ["Opened cosmetics cannot be returned."]
    }
    accepted = post_one(client, order, line, reason="defective")
    assert accepted.status_code == 302


def test_more_than_bought_is_refused_on_the_quantity(client, order):
    line = lines_of(order)[1]

    response = post_one(client, order, line, quantity=1)
    assert response.status_code == 302
    again = post_one(client, order, line, quantity=1)

    assert again.status_code == 400
    html = again.content.decode()
    assert "All of this item has already been returned or is in a return." in html


def test_a_quantity_above_what_remains_gets_the_services_message(client, order):
    line = lines_of(order)[0]
    post_one(client, order, line, quantity=1)

    response = post_one(client, order, line, quantity=2)

    assert response.status_code == 400
    assert line_errors(response, line) == {
        "quantity": ["You can return at most 1 of this item."]
    }


def test_more_than_three_photos_are_refused(client, order):
    line = lines_of(order)[0]

    response = post_one(
        client, order, line, photos=[photo(f"{n}.jpg") for n in range(4)]
    )

    assert response.status_code == 400
    assert line_errors(response, line) == {"photos": ["Add at most 3 photos per item."]}


def test_a_bad_photo_is_refused_with_its_name(client, order):
    line = lines_of(order)[0]
    text = photo("notes.jpg")
    text.file.seek(0)
    text.file.truncate()
    text.file.write(b"not a picture at all" * 20)
    text.size = 400
    text.file.seek(0)

    response = post_one(client, order, line, photos=[text])

    assert response.status_code == 400
    assert line_errors(response, line) == {
        "photos": ["“notes.jpg” is not a JPEG, PNG or WebP photo."]
    }
    assert "please add them again" in response.content.decode()


def test_other_needs_words(client, order):
    line = lines_of(order)[0]

    response = post_one(client, order, line, reason="other")

    assert line_errors(response, line) == {
        "reason_text": ["Tell us what is wrong with it."]
    }


def test_nothing_chosen_is_refused(client, order):
    response = client.post(create_url(order), form_data(order, lines={}))

    assert response.status_code == 400
    assert response.context["form"].request_form.non_field_errors() == [
        "Choose at least one item to return."
    ]


def test_cash_on_delivery_asks_for_the_bank_account(client, member):
    order = delivered_order(user=member, payment_method="cod")
    line = lines_of(order)[0]

    page = client.get(create_url(order))
    missing = post_one(client, order, line)
    given = post_one(
        client,
        order,
        line,
        extra={
            "bank_code": "812",
            "account_name": "王小明",
            "account_number": "0012-3456-78901",
        },
    )

    assert "Bank account for the refund" in page.content.decode()
    assert missing.status_code == 400
    assert missing.context["form"].request_form.errors == {
        "bank_code": ["Enter the 3-digit bank code (or 7 digits with the branch)."]
    }
    assert given.status_code == 302
    created = ReturnRequest.objects.get()
    assert created.bank_account_number == "0012345678901"


def test_the_bank_account_is_kept_out_of_error_reports(client, member):
    order = delivered_order(user=member, payment_method="cod")
    bank = {
        "bank_code": "812",
        "account_name": "王小明",
        "account_number": "0012345678901",
    }

    response = post_one(client, order, lines_of(order)[0], extra=bank)

    assert response.status_code == 302
    # What an admins' 500 email or a debug page would show of the POST.
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert {name: reported[name] for name in bank} == {
        name: SafeExceptionReporterFilter.cleansed_substitute for name in bank
    }


def test_shopping_credit_shows_the_bonus(client, order):
    policy = order.return_policy
    policy.credit_bonus_percent = Decimal("5.00")
    policy.save()

    page = client.get(create_url(order))

    assert "Shopping credit, with a 5% bonus" in page.content.decode()
