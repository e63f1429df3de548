"""The pages behind a request's buttons: each GET, each POST, and refusals.

Every page is worked by a member of the Returns staff role. The figures of
the refund preview come from `returns.tests.money.support.mixed_order`: all
three units of the 900 line return inside the cooling-off period, worth
2,700 − 275 coupon = 2,425, paid 207 in points, 172 in credit and 2,046 by
card.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.tests.points_support import programme_set
from returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    ReturnEvent,
    ReturnNote,
    ReturnRequest,
    ReturnStatus,
    ReturnUnit,
    UnitCondition,
)
from returns.services.refunds import refund_issue
from returns.tests.factories import delivered_order, return_request_make
from returns.tests.money.support import inspected_return, mixed_order
from returns.tests.staff.support import change_url, messages_of, page_url
from shop.catalog.models import Variant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ten_points_per_hundred():
    programme_set(earn_points=10)


def _units(request) -> list[ReturnUnit]:
    return list(ReturnUnit.objects.filter(line__request=request).order_by("pk"))


def _fresh(request) -> ReturnRequest:
    return ReturnRequest.objects.get(pk=request.pk)


# --- the request's page -------------------------------------------------------


def test_the_page_shows_items_photos_timeline_history_and_only_possible_moves(
    desk_client, desk
):
    request = return_request_make(status=ReturnStatus.RECEIVED, quantity=2)
    other = return_request_make(
        order=delivered_order(user=request.user), status=ReturnStatus.REJECTED
    )
    response = desk_client.get(change_url(request))
    html = response.content.decode()

    assert response.status_code == 200
    assert [move.name for move in response.context["moves"]] == ["inspect"]
    assert page_url(request, "inspect") in html
    assert page_url(request, "approve") not in html
    assert "Received → Received" not in html
    assert "Approved → On its way back" in html
    assert "Unit 1:\n              received, to inspect" in html
    assert other.number in html
    assert "1 return · 2 of 6 units (33.3%)" in html


def test_the_bank_account_is_masked_on_the_page(desk_client):
    request = return_request_make(order=delivered_order(payment_method="cod"))

    html = desk_client.get(change_url(request)).content.decode()

    assert "812 王小明 ****8901" in html
    assert "0012345678901" not in html


def test_a_post_to_the_page_itself_changes_nothing(desk_client):
    request = return_request_make()

    response = desk_client.post(change_url(request), {"status": "closed"})

    assert response.status_code == 403
    assert _fresh(request).status == ReturnStatus.REQUESTED


# --- approve and reject ---------------------------------------------------------


def test_approve_with_a_note(desk_client, desk):
    request = return_request_make()
    assert desk_client.get(page_url(request, "approve")).status_code == 200

    response = desk_client.post(
        page_url(request, "approve"), {"note": "照片清楚，同意退貨"}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(request)
    request = _fresh(request)
    assert request.status == ReturnStatus.APPROVED
    assert len(request.return_code) == 12
    event = ReturnEvent.objects.filter(request=request).last()
    assert (event.to_status, event.actor, event.note) == (
        "approved",
        desk,
        "照片清楚，同意退貨",
    )
    assert messages_of(response) == [
        f"Return {request.number} approved; the customer has been emailed."
    ]


def test_approving_a_return_already_approved_is_refused_on_the_page(desk_client):
    request = return_request_make(status=ReturnStatus.APPROVED)

    get = desk_client.get(page_url(request, "approve"))
    post = desk_client.post(page_url(request, "approve"), {"note": ""})

    assert get.status_code == 302
    assert messages_of(get) == [
        f"Return {request.number} cannot be handled that way now."
    ]
    assert post.status_code == 200
    assert messages_of(post)[-1] == (
        f"Return {request.number} cannot go from “Approved” to “Approved”."
    )
    approvals = ReturnEvent.objects.filter(request=request, to_status="approved")
    assert approvals.count() == 1


def test_reject_needs_a_reason(desk_client):
    request = return_request_make()
    assert desk_client.get(page_url(request, "reject")).status_code == 200

    empty = desk_client.post(page_url(request, "reject"), {"reason": ""})
    done = desk_client.post(page_url(request, "reject"), {"reason": "商品已使用"})

    assert empty.status_code == 200
    assert empty.context["form"].errors == {"reason": ["This field is required."]}
    assert done.status_code == 302
    request = _fresh(request)
    assert (request.status, request.rejection_reason) == ("rejected", "商品已使用")


# --- receive and inspect --------------------------------------------------------


def test_receive_some_units_and_flag_one_missing(desk_client):
    request = return_request_make(status=ReturnStatus.IN_TRANSIT, quantity=2)
    first, second = _units(request)
    page = desk_client.get(page_url(request, "receive"))
    assert page.status_code == 200
    assert f'value="{first.pk}"' in page.content.decode()

    response = desk_client.post(
        page_url(request, "receive"), {"received": [first.pk], "missing": [second.pk]}
    )

    assert response.status_code == 302
    first, second = _units(request)
    assert first.received_at is not None and not first.missing
    assert second.received_at is None and second.missing
    request = _fresh(request)
    assert request.status == ReturnStatus.RECEIVED
    assert request.refund_due_by == request.received_at + timedelta(days=15)


def test_receive_refusals_show_on_the_page(desk_client):
    request = return_request_make(status=ReturnStatus.IN_TRANSIT)
    (unit,) = _units(request)

    nothing = desk_client.post(page_url(request, "receive"), {})
    both = desk_client.post(
        page_url(request, "receive"), {"received": [unit.pk], "missing": [unit.pk]}
    )

    assert nothing.status_code == 200
    assert nothing.context["form"].non_field_errors() == [
        "Tick the units that arrived or are missing."
    ]
    assert both.status_code == 200
    assert messages_of(both) == ["A unit cannot be both received and missing."]
    assert _fresh(request).status == ReturnStatus.IN_TRANSIT


def test_inspect_restocks_a_unit_and_the_return_is_inspected(desk_client):
    request = return_request_make(status=ReturnStatus.RECEIVED, quantity=2)
    first, second = _units(request)
    variant = Variant.objects.get(pk=first.line.order_line.variant_id)
    page = desk_client.get(page_url(request, "inspect"))
    assert page.status_code == 200

    response = desk_client.post(
        page_url(request, "inspect"),
        {f"unit_{first.pk}": "restock", f"unit_{second.pk}": "damaged"},
    )

    assert response.status_code == 302
    first, second = _units(request)
    assert (first.condition, first.restocked) == ("restock", True)
    assert (second.condition, second.restocked) == ("damaged", False)
    assert Variant.objects.get(pk=variant.pk).stock == variant.stock + 1
    assert _fresh(request).status == ReturnStatus.INSPECTED


def test_inspecting_nothing_is_refused(desk_client):
    request = return_request_make(status=ReturnStatus.RECEIVED)

    response = desk_client.post(page_url(request, "inspect"), {})

    assert response.status_code == 200
    assert messages_of(response) == ["Choose the condition of each unit."]
    assert _fresh(request).status == ReturnStatus.RECEIVED


# --- the refund ------------------------------------------------------------------


def test_the_refund_preview_shows_every_figure_and_confirms_once(desk_client, desk):
    order = mixed_order()
    request = inspected_return(order, {0: 3})
    page = desk_client.get(page_url(request, "refund"))
    html = page.content.decode()

    assert page.status_code == 200
    assert "折價券 SPRING: -NT$275" in html
    assert "NT$2,700" in html
    assert "NT$207 (207 points)" in html
    assert "NT$172" in html
    assert "NT$2,046" in html
    assert "Points given back (207 points)" in html
    assert "To the original payment, through the payment provider" in html
    assert "Confirm the refund of NT$2,425" in html
    preview = page.context["preview"]
    assert (preview.total, preview.to_payment, preview.credit_restored) == (
        Decimal("2425"),
        Decimal("2046"),
        Decimal("172"),
    )
    assert preview.points_reversal.pending_cancelled == 222
    key = page.context["form"].initial["key"]

    first = desk_client.post(page_url(request, "refund"), {"key": key})
    second = desk_client.post(page_url(request, "refund"), {"key": key})

    assert first.status_code == second.status_code == 302
    refund = Refund.objects.get()
    assert (refund.status, refund.total, refund.actor) == (
        RefundStatus.SUCCEEDED,
        Decimal("2425"),
        desk,
    )
    assert refund.idempotency_key == key
    assert messages_of(second)[-1] == "Refund of NT$2,425 made."
    assert _fresh(request).status == ReturnStatus.RESOLVED


def test_a_confirm_for_units_that_changed_since_the_preview_is_refused(desk_client):
    order = mixed_order()
    request = inspected_return(order, {0: 2}, conditions={1: "wrong_item"})
    page = desk_client.get(page_url(request, "refund"))
    stale = page.context["form"].initial["key"]
    # Another page saw both units refundable: its key names other units.
    ReturnUnit.objects.filter(line__request=request).update(
        condition=UnitCondition.RESTOCK
    )

    response = desk_client.post(page_url(request, "refund"), {"key": stale})

    assert response.status_code == 200
    assert messages_of(response) == [
        f"Return {request.number} changed since this preview: check the figures "
        "again before confirming."
    ]
    assert response.context["form"].initial["key"] != stale
    assert Refund.objects.count() == 0


def test_an_exchange_is_not_refunded(desk_client):
    request = return_request_make(
        status=ReturnStatus.INSPECTED, resolution=Resolution.EXCHANGE
    )
    assert desk_client.get(page_url(request, "refund")).status_code == 302

    page = desk_client.get(page_url(request, "exchange"))
    done = desk_client.post(page_url(request, "exchange"), {})

    assert page.status_code == 200
    assert done.status_code == 302
    assert _fresh(request).status == ReturnStatus.RESOLVED


def test_the_bank_transfer_is_recorded_then_the_return_closes(desk_client):
    order = mixed_order(payment_method="atm")
    request = inspected_return(order, {0: 1})
    page = desk_client.get(page_url(request, "refund"))
    assert "By bank transfer, to pay yourself, to 812 王小明 ****8901" in (
        page.content.decode()
    )
    response = desk_client.post(
        page_url(request, "refund"), {"key": page.context["form"].initial["key"]}
    )
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.TRANSFER_DUE
    assert messages_of(response) == [
        "Refund of NT$809 recorded. Transfer NT$682 to 812 王小明 ****8901, then "
        "record the transfer."
    ]
    # Closing would forget the account the transfer needs.
    assert desk_client.get(page_url(request, "close")).status_code == 302
    refused = desk_client.post(page_url(request, "close"), {})
    assert messages_of(refused)[-1] == (
        "Record the bank transfer before closing the return."
    )
    assert _fresh(request).status == ReturnStatus.RESOLVED

    # The transfer page alone shows the whole number, to the person paying it.
    transfer_page = desk_client.get(page_url(request, "transfer")).content.decode()
    assert "812 王小明 0012345678901" in transfer_page
    request_page = desk_client.get(
        reverse("admin:returns_returnrequest_change", args=[request.pk])
    ).content.decode()
    assert "0012345678901" not in request_page

    missing = desk_client.post(
        page_url(request, "transfer"), {"refund": refund.pk, "reference": ""}
    )
    paid = desk_client.post(
        page_url(request, "transfer"), {"refund": refund.pk, "reference": "TX-1130"}
    )

    assert missing.status_code == 200
    assert missing.context["form"].errors == {"reference": ["This field is required."]}
    assert paid.status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.gateway_reference) == ("succeeded", "TX-1130")
    assert _fresh(request).bank_account_number == ""

    closed = desk_client.post(page_url(request, "close"), {})

    assert closed.status_code == 302
    assert _fresh(request).status == ReturnStatus.CLOSED


def test_a_return_with_nothing_to_refund_is_closed_not_stuck(desk_client):
    # The parcel held something else than the item bought.
    request = inspected_return(
        mixed_order(payment_method="atm"),
        {1: 2},
        conditions={0: UnitCondition.WRONG_ITEM, 1: UnitCondition.WRONG_ITEM},
    )
    page = desk_client.get(change_url(request))

    closed = desk_client.post(page_url(request, "close"), {})

    assert [move.name for move in page.context["moves"]] == ["close"]
    assert closed.status_code == 302
    request = _fresh(request)
    assert request.status == ReturnStatus.CLOSED
    assert request.bank_account_number == ""
    assert Refund.objects.count() == 0


def test_a_return_with_a_unit_to_refund_is_not_closed_before_it(desk_client):
    request = inspected_return(
        mixed_order(), {1: 2}, conditions={0: UnitCondition.WRONG_ITEM}
    )
    page = desk_client.get(change_url(request))

    refused = desk_client.post(page_url(request, "close"), {})

    assert [move.name for move in page.context["moves"]] == ["refund"]
    assert refused.status_code == 200
    assert messages_of(refused)[-1] == (
        f"Return {request.number} has items to refund or exchange: resolve it "
        "before closing it."
    )
    assert _fresh(request).status == ReturnStatus.INSPECTED


def test_a_refund_the_provider_declined_is_asked_again_with_its_key(
    desk_client, monkeypatch
):
    from shop.checkout.payments.base import RefundOutcome
    from shop.checkout.payments.sandbox import SandboxCardGateway

    order = mixed_order()
    request = inspected_return(order, {0: 1})
    real = SandboxCardGateway.refund
    monkeypatch.setattr(
        SandboxCardGateway,
        "refund",
        lambda self, **kw: RefundOutcome(succeeded=False, message="Card expired"),
    )
    refund = refund_issue(request=request, actor=None)
    assert refund.status == RefundStatus.FAILED
    monkeypatch.setattr(SandboxCardGateway, "refund", real)

    page = desk_client.get(page_url(request, "refund"))
    assert page.context["retry"] == [refund]
    assert "Card expired" in page.content.decode()
    response = desk_client.post(
        page_url(request, "refund"), {"key": refund.idempotency_key}
    )

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert Refund.objects.count() == 1


# --- notes and bulk actions -------------------------------------------------------


def test_a_note_is_added_and_an_empty_one_refused(desk_client, desk):
    request = return_request_make()

    done = desk_client.post(page_url(request, "note"), {"text": "客人來電詢問進度"})
    empty = desk_client.post(page_url(request, "note"), {"text": " "})

    assert done.status_code == empty.status_code == 302
    assert done["Location"] == change_url(request) + "#notes"
    note = ReturnNote.objects.get()
    assert (note.text, note.author) == ("客人來電詢問進度", desk)
    assert messages_of(empty)[-1] == "This field is required."
    assert "客人來電詢問進度" in desk_client.get(change_url(request)).content.decode()


def test_bulk_approve_and_close(desk_client):
    from django.urls import reverse

    waiting = [return_request_make(), return_request_make()]
    approved = return_request_make(status=ReturnStatus.APPROVED)
    url = reverse("admin:returns_returnrequest_changelist")

    response = desk_client.post(
        url,
        {
            "action": "approve_selected",
            "_selected_action": [r.pk for r in [*waiting, approved]],
        },
    )

    assert response.status_code == 302
    assert [_fresh(r).status for r in waiting] == ["approved", "approved"]
    assert messages_of(response) == [
        f"{approved.number}: Return {approved.number} cannot go from “Approved” "
        "to “Approved”.",
        "2 returns approved.",
    ]

    resolved = return_request_make(status=ReturnStatus.RESOLVED)
    response = desk_client.post(
        url,
        {"action": "close_selected", "_selected_action": [resolved.pk, waiting[0].pk]},
    )

    assert _fresh(resolved).status == ReturnStatus.CLOSED
    assert _fresh(waiting[0]).status == ReturnStatus.APPROVED
    assert messages_of(response)[-1] == "1 return closed."


def test_a_missing_unit_is_not_inspected_nor_refunded(desk_client):
    request = return_request_make(status=ReturnStatus.IN_TRANSIT, quantity=2)
    first, second = _units(request)
    desk_client.post(
        page_url(request, "receive"), {"received": [first.pk], "missing": [second.pk]}
    )

    page = desk_client.get(page_url(request, "inspect"))
    desk_client.post(page_url(request, "inspect"), {f"unit_{first.pk}": "restock"})
    preview = desk_client.get(page_url(request, "refund")).context["preview"]

    assert [unit.pk for _line, unit, _field in page.context["rows"]] == [first.pk]
    assert "1 unit is missing and is not refunded." in page.content.decode()
    assert _fresh(request).status == ReturnStatus.INSPECTED
    assert [u.unit_index for u in preview.units] == [first.unit_index]
    assert preview.total == Decimal("1280")
