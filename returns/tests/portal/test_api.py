"""The shopper's returns API: create (JSON and multipart), list, detail, cancel."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter
from rest_framework.test import APIClient

from returns.models import ReturnRequest, ReturnStatus
from returns.services import return_request_approve
from returns.tests.factories import (
    delivered_order,
    return_request_make,
    staff_user,
)
from returns.tests.portal.support import photo

pytestmark = pytest.mark.django_db

URL = "/api/returns/"


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


def lines_of(order):
    return list(order.lines.order_by("pk"))


def body(order, **changes):
    line = lines_of(order)[0]
    data = {
        "order": order.number,
        "lines": [{"order_line": line.pk, "quantity": 1, "reason": "wrong_size"}],
        "resolution": "refund",
        "method": "cvs",
    }
    data.update(changes)
    return data


def test_create_with_json(api, order, member):
    response = api.post(URL, body(order), format="json")

    assert response.status_code == 201, response.data
    created = ReturnRequest.objects.get()
    assert created.user == member
    data = response.data
    assert data["number"] == created.number
    assert data["status"] == "requested"
    assert data["can_cancel"] is True
    assert [e["status"] for e in data["events"]] == ["requested"]
    assert data["lines"][0]["quantity"] == 1
    assert data["lines"][0]["photos"] == []
    preview = data["refund_preview"]
    assert preview["estimate"] is True
    assert preview["total"] == "1280"
    assert preview["to_payment"] == "1280"
    assert preview["lines"][0]["units"] == 1


def test_create_multipart_with_photos(api, order):
    first, second = lines_of(order)
    response = api.post(
        URL,
        {
            "order": order.number,
            "lines": json.dumps(
                [
                    {"order_line": first.pk, "quantity": 2, "reason": "defective"},
                    {"order_line": second.pk, "quantity": 1, "reason": "damaged"},
                ]
            ),
            "resolution": "refund",
            "method": "self",
            "photos": [photo("a.jpg"), photo("b.jpg"), photo("c.jpg")],
            "photo_lines": [first.pk, second.pk, first.pk],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.data
    counts = [len(line["photos"]) for line in response.data["lines"]]
    assert counts == [2, 1]
    assert response.data["lines"][0]["photos"][0].startswith("http://testserver/media/")


def test_photos_must_say_their_line(api, order):
    response = api.post(
        URL,
        {**body(order), "lines": json.dumps(body(order)["lines"]), "photos": [photo()]},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.data == {
        "photo_lines": ["Give one order line for every photo, in order."]
    }


def test_refusals_are_field_errors(api, member, order):
    closed = delivered_order(
        user=member, delivered_at=timezone.now() - timedelta(days=45)
    )
    line = lines_of(order)[0]

    window = api.post(URL, body(closed), format="json")
    two_lines = api.post(
        URL,
        body(
            order,
            lines=[
                {"order_line": lines_of(order)[1].pk, "quantity": 1, "reason": "other"},
                {"order_line": line.pk, "quantity": 3, "reason": "wrong_size"},
            ],
        ),
        format="json",
    )
    other_text = api.post(
        URL,
        body(
            order,
            lines=[{"order_line": line.pk, "quantity": 1, "reason": "other"}],
        ),
        format="json",
    )
    bad_choice = api.post(URL, body(order, method="drone"), format="json")

    assert window.status_code == 400
    [message] = window.data["lines"][0]["non_field_errors"]
    assert message.startswith("The return window for this order closed on ")
    assert two_lines.status_code == 400
    assert two_lines.data == {
        "lines": [{"reason_text": ["Tell us what is wrong with it."]}, {}]
    }
    assert other_text.data == {
        "lines": [{"reason_text": ["Tell us what is wrong with it."]}]
    }
    assert bad_choice.data == {"method": ['"drone" is not a valid choice.']}
    assert ReturnRequest.objects.count() == 0


def test_too_many_units_and_a_bad_photo(api, order):
    line = lines_of(order)[0]
    too_many = api.post(
        URL,
        body(
            order, lines=[{"order_line": line.pk, "quantity": 3, "reason": "defective"}]
        ),
        format="json",
    )
    text = photo("receipt.png")
    text.file = __import__("io").BytesIO(b"plain text, not a picture" * 30)
    bad_photo = api.post(
        URL,
        {
            **body(order),
            "lines": json.dumps(body(order)["lines"]),
            "photos": [text],
            "photo_lines": [line.pk],
        },
        format="multipart",
    )

    assert too_many.data == {
        "lines": [{"quantity": ["You can return at most 2 of this item."]}]
    }
    assert bad_photo.status_code == 400
    assert bad_photo.data == {
        "lines": [{"photos": ["“receipt.png” is not a JPEG, PNG or WebP photo."]}]
    }


def test_cash_on_delivery_needs_the_bank_account(api, member):
    order = delivered_order(user=member, payment_method="cod")

    missing = api.post(URL, body(order), format="json")
    bad_number = api.post(
        URL,
        body(
            order,
            bank={"bank_code": "812", "account_name": "王小明", "account_number": "12"},
        ),
        format="json",
    )
    given = api.post(
        URL,
        body(
            order,
            bank={
                "bank_code": "812",
                "account_name": "王小明",
                "account_number": "0012345678901",
            },
        ),
        format="json",
    )

    assert missing.data == {
        "bank": {
            "bank_code": ["Enter the 3-digit bank code (or 7 digits with the branch)."]
        }
    }
    assert bad_number.data == {
        "bank": {"account_number": ["Enter the account number: 10 to 16 digits."]}
    }
    assert given.status_code == 201
    assert given.data["refund_preview"]["refund_via"] == "transfer"


def test_another_members_order_and_return_are_not_found(api):
    theirs = return_request_make(order=delivered_order())

    create = api.post(URL, body(theirs.order), format="json")
    detail = api.get(f"{URL}{theirs.number}/")
    cancel = api.post(f"{URL}{theirs.number}/cancel/")

    assert create.status_code == 400
    assert create.data == {"order": ["We could not find that order."]}
    assert detail.status_code == 404
    assert cancel.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ReturnStatus.REQUESTED


def test_signed_out_is_401():
    client = APIClient()

    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, format="json").status_code == 401


def test_cancel_mine_then_not_again(api, order):
    mine = return_request_make(order=order)

    first = api.post(f"{URL}{mine.number}/cancel/")
    second = api.post(f"{URL}{mine.number}/cancel/")

    assert first.status_code == 200
    assert (first.data["status"], first.data["can_cancel"]) == ("cancelled", False)
    assert first.data["refund_preview"] is None
    assert second.status_code == 400
    assert second.data == {
        "detail": f"Return {mine.number} can no longer be cancelled."
    }


def test_list_is_mine_newest_first_and_paginated(api, member, order):
    older = return_request_make(order=order)
    newer = return_request_make(order=order, line_index=1)
    return_request_make(order=delivered_order())

    response = api.get(URL)

    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [r["number"] for r in response.data["results"]] == [
        newer.number,
        older.number,
    ]
    assert response.data["results"][0]["items"][0]["quantity"] == 1


def test_detail_of_an_approved_return_has_instructions(api, order):
    mine = return_request_make(order=order, status=ReturnStatus.APPROVED)

    data = api.get(f"{URL}{mine.number}/").data

    assert data["instructions"]["code"] == mine.return_code
    assert data["instructions"]["method"] == "cvs"
    assert len(data["instructions"]["steps"]) == 2


def test_the_staff_approval_note_is_not_in_the_shoppers_api(api, order):
    mine = return_request_make(order=order)
    return_request_approve(
        request=mine, actor=staff_user(), note="STAFF ONLY: frequent returner"
    )

    data = api.get(f"{URL}{mine.number}/").data

    assert [(e["status"], e["note"]) for e in data["events"]] == [
        ("requested", ""),
        ("approved", ""),
    ]


def test_the_bank_account_is_kept_out_of_error_reports(api, member):
    order = delivered_order(user=member, payment_method="cod")
    bank = {
        "bank_code": "812",
        "account_name": "王小明",
        "account_number": "0012345678901",
    }
    data = body(order)
    data["lines"] = json.dumps(data["lines"])

    response = api.post(URL, {**data, "bank": json.dumps(bank)}, format="multipart")

    assert response.status_code == 201, response.data
    # What an admins' 500 email or a debug page would show of the POST.
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert reported["bank"] == SafeExceptionReporterFilter.cleansed_substitute
