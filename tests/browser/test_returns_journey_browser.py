"""The returns journey in the seeded demo, as the issue's "Done when" describes
it: member1 asks to return the shirt delivered two days ago (with a photo);
Returns staff approve, receive, inspect and refund it in the back office; the
member sees the refund on the return's page and the pending points of the
order cancelled on the points page; the analytics dashboard compares members
with non-members. A screenshot at each step goes to test-artifacts/."""

import re
from io import BytesIO

import pytest
from playwright.sync_api import expect

from loyalty.models import Membership
from loyalty.services.points import points_reconcile
from returns.models import Refund, RefundStatus, ReturnRequest, ReturnStatus
from shop.core.money import format_money
from shop.orders.models import Order
from shop.orders.status import OrderStatus
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo1234"
DESKTOP = {"width": 1280, "height": 900}


def _photo(tmp_path):
    """A JPEG of a shirt-coloured square, as a phone would upload it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), (236, 229, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((350, 200, 850, 750), fill=(250, 250, 246), outline=(90, 90, 90))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path = tmp_path / "shirt-too-small.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def _shopper_login(page, live_server, email):
    page.goto(live_server.url + "/account/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/account/login/"))


def _staff_page(page, live_server):
    """A desktop browser signed in to the back office as Returns staff."""
    context = page.context.browser.new_context(
        viewport=DESKTOP, device_scale_factor=1, locale="zh-TW"
    )
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto(live_server.url + "/admin/login/")
    staff.locator("input[name=username]").fill("returns@example.com")
    staff.locator("input[name=password]").fill(PASSWORD)
    staff.locator("input[name=password]").press("Enter")
    expect(staff).to_have_url(re.compile(r"/admin/$"))
    return staff


def _shot(staff, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    staff.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _move(staff, request: ReturnRequest, name: str):
    """Open the request's page and follow the button of move `name`."""
    change = f"/admin/returns/returnrequest/{request.pk}/change/"
    staff.goto(staff.url.split("/admin/")[0] + change)
    staff.locator(f"ul.return-moves a[href$='/{request.pk}/{name}/']").click()
    expect(staff).to_have_url(re.compile(rf"/{request.pk}/{name}/$"))


def _submit(staff, request: ReturnRequest):
    staff.locator("#content-main form .submit-row input[type=submit]").first.click()
    expect(staff).to_have_url(
        re.compile(rf"/admin/returns/returnrequest/{request.pk}/change/$")
    )
    expect(staff.locator(".messagelist .success").first).to_be_visible()


def test_member_returns_with_a_photo_and_staff_refund_it(
    demo_shop, live_server, page, screenshot, tmp_path
):
    order = Order.objects.get(
        user__email="member1@example.com", status=OrderStatus.DELIVERED
    )
    line = order.lines.get()
    member = Membership.objects.get(user__email="member1@example.com")
    assert member.points_pending == 14

    # The member asks from the order's page, inside the cooling-off period.
    _shopper_login(page, live_server, "member1@example.com")
    page.goto(live_server.url + f"/account/orders/{order.number}/")
    page.locator(".returns-panel a.button").click()
    expect(page).to_have_url(re.compile(rf"/returns/new/{order.number}/$"))
    prefix = f"line-{line.pk}"
    page.locator(f"[name='{prefix}-quantity']").select_option("1")
    page.locator(f"[name='{prefix}-reason']").select_option("wrong_size")
    page.locator(f"[name='{prefix}-photos']").set_input_files(_photo(tmp_path))
    page.locator("input[name=resolution][value=refund]").check()
    page.locator("input[name=method][value=cvs]").check()
    # Paid by ATM transfer: the refund goes back by bank transfer.
    page.locator("input[name=bank_code]").fill("812")
    page.locator("input[name=account_name]").fill("王小明")
    page.locator("input[name=account_number]").fill("0012345678901")
    screenshot("returns-1-ask")
    page.locator("form.return-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/returns/R[\w-]+/done/$"))
    request = ReturnRequest.objects.get(order=order)
    assert request.status == ReturnStatus.REQUESTED
    assert request.lines.get().photos.count() == 1
    expect(page.locator("main")).to_contain_text(request.number)
    screenshot("returns-2-requested")

    # Returns staff: approve, receive the parcel, inspect, refund.
    staff = _staff_page(page, live_server)
    staff.goto(live_server.url + "/admin/returns/returnrequest/")
    expect(staff.locator("#result_list")).to_contain_text(request.number)
    _shot(staff, "returns-3-queue")
    _move(staff, request, "approve")
    _submit(staff, request)
    request.refresh_from_db()
    assert request.status == ReturnStatus.APPROVED
    _shot(staff, "returns-4-approved")

    _move(staff, request, "receive")
    for box in staff.locator("input[name=received]").all():
        box.check()
    _submit(staff, request)

    _move(staff, request, "inspect")
    for select in staff.locator("select[name^=unit_]").all():
        select.select_option("restock")
    _shot(staff, "returns-5-inspect")
    _submit(staff, request)
    request.refresh_from_db()
    assert request.status == ReturnStatus.INSPECTED

    _move(staff, request, "refund")
    expect(staff.locator(".return-figures").first).to_be_visible()
    _shot(staff, "returns-6-refund-preview")
    _submit(staff, request)
    refund = Refund.objects.get(request=request)
    assert refund.status == RefundStatus.TRANSFER_DUE
    # Everything came back inside the cooling-off period: shipping too.
    assert refund.total == order.total

    _move(staff, request, "transfer")
    staff.locator("input[name=reference]").fill("TRF20261130001")
    _submit(staff, request)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    request.refresh_from_db()
    assert request.status == ReturnStatus.RESOLVED
    _shot(staff, "returns-7-resolved")

    # The member sees the refund, and the order's pending points cancelled.
    member.refresh_from_db()
    assert member.points_pending == 0
    page.goto(live_server.url + f"/returns/{request.number}/")
    expect(page.locator("#refunds-heading")).to_be_visible()
    expect(page.locator(".return-money").first).to_contain_text(
        format_money(order.total, order.currency)
    )
    screenshot("returns-8-member-refunded")
    page.goto(live_server.url + "/account/points/")
    expect(page.locator("main")).to_contain_text(order.number)
    screenshot("returns-9-member-points")

    # The dashboard answers whether members return less, from the demo's data.
    staff.goto(live_server.url + "/admin/returns/analytics/?days=90")
    expect(staff.locator(".ra-headline .ra-answer")).to_be_visible()
    expect(staff.locator("svg[role=img]").first).to_be_visible()
    _shot(staff, "returns-10-analytics")
    staff.context.close()
    assert points_reconcile() == []
