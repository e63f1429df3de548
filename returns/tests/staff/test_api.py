"""The staff API of returns: permissions, the queue, a request, each move."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from loyalty.tests.factories import member_create
from loyalty.tests.points_support import programme_set
from returns.models import Refund, RefundStatus, ReturnRequest, ReturnStatus, ReturnUnit
from returns.tests.factories import delivered_order, return_request_make
from returns.tests.money.support import inspected_return, mixed_order
from shop.accounts.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("api-staff-returns")


def _url(request, move: str = "") -> str:
    if not move:
        return reverse("api-staff-return", kwargs={"number": request.number})
    return reverse(f"api-staff-return-{move}", kwargs={"number": request.number})


@pytest.fixture
def api(desk):
    client = APIClient()
    client.force_authenticate(desk)
    return client


def _units(request) -> list[int]:
    return list(
        ReturnUnit.objects.filter(line__request=request)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- permissions ---------------------------------------------------------------


def test_signed_out_is_401_and_a_shopper_is_403_everywhere():
    request = return_request_make()
    anonymous = APIClient()
    shopper = APIClient()
    shopper.force_authenticate(request.user)
    urls = [
        ("get", QUEUE),
        ("get", _url(request)),
        ("get", _url(request, "refund-preview")),
        ("post", _url(request, "approve")),
        ("post", _url(request, "reject")),
        ("post", _url(request, "refund")),
        ("post", _url(request, "notes")),
    ]

    for method, url in urls:
        assert getattr(anonymous, method)(url).status_code == 401, url
        assert getattr(shopper, method)(url).status_code == 403, url
    request.refresh_from_db()
    assert request.status == ReturnStatus.REQUESTED


def test_a_staff_member_without_the_refund_permission_cannot_refund():
    order = mixed_order()
    request = inspected_return(order, {0: 1})
    clerk = StaffFactory()
    group = Group.objects.create(name="Returns readers")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="returns",
            codename__in=["view_returnrequest", "change_returnrequest"],
        )
    )
    clerk.groups.add(group)
    client = APIClient()
    client.force_authenticate(clerk)

    assert client.get(_url(request)).json()["moves"] == []
    assert client.post(_url(request, "refund")).status_code == 403
    assert Refund.objects.count() == 0


# --- the queue and a request -------------------------------------------------------


def test_the_queue_costs_the_same_queries_for_n_and_n_plus_1_rows(api):
    return_request_make()
    return_request_make(status=ReturnStatus.RECEIVED)

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(QUEUE, {"status": "open"})
            assert response.status_code == 200
        return len(captured), response.json()["count"]

    count()  # the staff member's permissions, cached on the user from now on
    before, rows = count()
    return_request_make(order=delivered_order(guest=True, email="g@example.com"))

    assert count() == (before, rows + 1)


def test_the_queue_filters_and_says_which_filter_value_is_wrong(api):
    defective = return_request_make(reason="defective")
    closed = return_request_make(status=ReturnStatus.CLOSED)

    open_rows = api.get(QUEUE, {"status": "open"}).json()["results"]
    closed_rows = api.get(QUEUE, {"status": "closed"}).json()["results"]
    wrong = api.get(QUEUE, {"status": "lost", "due": "tomorrow"})

    assert [row["number"] for row in open_rows] == [defective.number]
    assert open_rows[0]["reasons"] == ["defective"]
    assert open_rows[0]["units_received"] == 0
    assert open_rows[0]["units_total"] == 1
    assert open_rows[0]["customer"]["history"]["requests"] == 1
    assert [row["number"] for row in closed_rows] == [closed.number]
    assert wrong.status_code == 400
    assert set(wrong.json()) == {"status", "due"}


def test_the_detail_masks_the_bank_account_and_lists_the_moves(api):
    request = return_request_make(order=delivered_order(payment_method="cod"))

    data = api.get(_url(request)).json()

    assert data["bank_account"] == "812 王小明 ****8901"
    assert "0012345678901" not in str(data)
    assert data["moves"] == ["approve", "reject"]
    assert data["lines"][0]["units"][0]["received_at"] is None
    assert data["events"][0]["to_status"] == "requested"
    assert (
        api.get(reverse("api-staff-return", kwargs={"number": "R0-1"})).status_code
        == 404
    )


# --- the moves ---------------------------------------------------------------------


def test_approve_receive_inspect_through_the_api(api):
    request = return_request_make(quantity=2)
    first, second = _units(request)

    approved = api.post(_url(request, "approve"), {"note": "OK"}, format="json")
    received = api.post(
        _url(request, "receive"),
        {"received": [first], "missing": [second]},
        format="json",
    )
    inspected = api.post(
        _url(request, "inspect"),
        {"conditions": [{"unit": first, "condition": "restock"}]},
        format="json",
    )

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert received.json()["status"] == "received"
    assert received.json()["refund_due_by"] is not None
    assert inspected.status_code == 200
    assert inspected.json()["status"] == "inspected"
    assert inspected.json()["moves"] == ["refund"]


def test_refusals_are_400s_on_the_field(api):
    request = return_request_make(status=ReturnStatus.APPROVED)
    (unit,) = _units(request)

    reject = api.post(_url(request, "reject"), {"reason": ""}, format="json")
    illegal = api.post(_url(request, "approve"), {}, format="json")
    both = api.post(
        _url(request, "receive"),
        {"received": [unit], "missing": [unit]},
        format="json",
    )
    condition = api.post(
        _url(request, "inspect"),
        {"conditions": [{"unit": unit, "condition": "lost"}]},
        format="json",
    )
    note = api.post(_url(request, "notes"), {"text": ""}, format="json")

    assert reject.status_code == 400
    assert set(reject.json()) == {"reason"}
    assert illegal.status_code == 400
    assert illegal.json() == {
        "non_field_errors": [
            f"Return {request.number} cannot go from “Approved” to “Approved”."
        ]
    }
    assert both.json() == {"received": ["A unit cannot be both received and missing."]}
    assert condition.status_code == 400
    assert condition.json() == {
        "conditions": {"0": {"condition": ['"lost" is not a valid choice.']}}
    }
    assert set(note.json()) == {"text"}
    request.refresh_from_db()
    assert request.status == ReturnStatus.APPROVED


def test_preview_then_refund_once_with_the_idempotency_key(api):
    programme_set(earn_points=10)
    request = inspected_return(mixed_order(), {0: 3})

    preview = api.get(_url(request, "refund-preview")).json()
    first = api.post(
        _url(request, "refund"), HTTP_IDEMPOTENCY_KEY=preview["idempotency_key"]
    )
    again = api.post(
        _url(request, "refund"),
        {"idempotency_key": preview["idempotency_key"]},
        format="json",
    )

    assert (preview["total"], preview["to_payment"], preview["credit_restored"]) == (
        "2425",
        "2046",
        "172",
    )
    assert preview["lines"][0]["points"] == 207
    assert preview["lines"][0]["discounts"] == [
        {"label": "折價券 SPRING", "amount": "-275"}
    ]
    assert preview["points_pending_cancelled"] == 222
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "succeeded"
    assert Refund.objects.count() == 1
    assert Refund.objects.get().total == Decimal("2425")


def test_a_refund_body_that_is_not_an_object_is_a_400(api):
    request = inspected_return(mixed_order(), {0: 1})

    response = api.post(
        _url(request, "refund"),
        ["refund"],
        format="json",
        HTTP_IDEMPOTENCY_KEY="retry-0001",
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }
    assert Refund.objects.count() == 0


def test_a_bank_transfer_is_recorded_before_the_return_closes(api):
    request = inspected_return(mixed_order(payment_method="atm"), {0: 1})
    refund = api.post(_url(request, "refund")).json()
    assert refund["status"] == "transfer_due"

    early = api.post(_url(request, "close"))
    wrong = api.post(
        _url(request, "transfer-paid"),
        {"refund": refund["id"] + 100, "reference": "TX-1"},
        format="json",
    )
    paid = api.post(
        _url(request, "transfer-paid"),
        {"refund": refund["id"], "reference": "TX-1"},
        format="json",
    )
    closed = api.post(_url(request, "close"))

    assert early.json() == {
        "non_field_errors": ["Record the bank transfer before closing the return."]
    }
    assert wrong.json() == {"refund": ["No such refund on this return."]}
    assert paid.status_code == 200
    assert paid.json()["refunds"][0]["status"] == RefundStatus.SUCCEEDED
    assert paid.json()["bank_account"] == ""
    assert closed.json()["status"] == "closed"


def test_a_note_is_written(api, desk):
    request = return_request_make()

    response = api.post(_url(request, "notes"), {"text": "等候客人回覆"}, format="json")

    assert response.status_code == 201
    assert response.json()["author"] == desk.email
    assert api.get(_url(request)).json()["notes"][0]["text"] == "等候客人回覆"


def test_another_members_return_is_not_theirs_to_move():
    request = return_request_make()
    other = APIClient()
    other.force_authenticate(member_create())

    assert other.post(_url(request, "approve")).status_code == 403
    assert ReturnRequest.objects.get(pk=request.pk).status == ReturnStatus.REQUESTED
