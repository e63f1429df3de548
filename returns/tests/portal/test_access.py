"""Who sees and acts on which return: members, other members, guests."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from loyalty.tests.factories import member_create
from returns import services
from returns.models import ReturnRequest, ReturnStatus
from returns.tests.factories import (
    delivered_order,
    return_request_make,
    staff_user,
)
from returns.tests.portal.support import form_data
from returns.views.access import GRANT_SALT, GRANTS_KEY

pytestmark = pytest.mark.django_db


def detail_url(return_request) -> str:
    return reverse("returns:detail", kwargs={"number": return_request.number})


def action_url(name: str, return_request) -> str:
    return reverse(f"returns:{name}", kwargs={"number": return_request.number})


def create_url(order) -> str:
    return reverse("returns:create", kwargs={"order_number": order.number})


@pytest.fixture
def theirs(db):
    """Another member's return, asked for on another member's order."""
    return return_request_make(order=delivered_order())


# --- Members ------------------------------------------------------------------


def test_my_return_page_shows_its_status_and_cancel(client, order):
    mine = return_request_make(order=order)

    response = client.get(detail_url(mine))

    assert response.status_code == 200
    assert response.context["can_cancel"] is True
    assert [label for _e, label, _note in response.context["events"]] == ["Requested"]


def test_the_staff_approval_note_is_not_shown_to_the_shopper(client, order):
    mine = return_request_make(order=order)
    services.return_request_approve(
        request=mine, actor=staff_user(), note="STAFF ONLY: frequent returner"
    )
    services.return_request_mark_shipped(request=mine, tracking_number="RT123TW")

    response = client.get(detail_url(mine))

    assert response.status_code == 200
    assert "STAFF ONLY" not in response.content.decode()
    assert [(label, note) for _e, label, note in response.context["events"]] == [
        ("Requested", ""),
        ("Approved", ""),
        ("On its way back", "RT123TW"),
    ]


def test_another_member_gets_404_on_every_page(client, member, theirs):
    order = theirs.order

    for url in (detail_url(theirs), action_url("created", theirs), create_url(order)):
        assert client.get(url).status_code == 404, url
    for name in ("cancel", "mark_shipped"):
        assert client.post(action_url(name, theirs)).status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.status == ReturnStatus.REQUESTED
    # Nor can the member ask to return items of it.
    line = order.lines.first()
    posted = client.post(
        create_url(order), form_data(order, lines={line: {"quantity": 1}})
    )
    assert posted.status_code == 404
    assert ReturnRequest.objects.count() == 1


def test_my_returns_list_holds_only_mine(client, order, theirs):
    mine = return_request_make(order=order)

    response = client.get(reverse("returns:list"))

    assert [r.number for r in response.context["return_requests"]] == [mine.number]


def test_a_signed_out_visitor_is_sent_to_the_guest_form(english_client, theirs):
    response = english_client.get(detail_url(theirs))

    assert response.status_code == 302
    assert response.url == reverse("returns:guest")
    create = english_client.get(create_url(theirs.order))
    assert create.url == reverse("returns:guest") + f"?number={theirs.order.number}"
    listing = english_client.get(reverse("returns:list"))
    assert listing.url.startswith(reverse("account_login"))


def test_the_member_cancels_and_the_button_goes(client, order):
    mine = return_request_make(order=order)

    response = client.post(action_url("cancel", mine), follow=True)

    mine.refresh_from_db()
    assert mine.status == ReturnStatus.CANCELLED
    assert f"Return {mine.number} is cancelled." in response.content.decode()
    assert response.context["can_cancel"] is False


def test_a_shipped_return_cannot_be_cancelled(client, order):
    mine = return_request_make(order=order, status=ReturnStatus.IN_TRANSIT)

    response = client.post(action_url("cancel", mine), follow=True)

    mine.refresh_from_db()
    assert mine.status == ReturnStatus.IN_TRANSIT
    assert f"Return {mine.number} can no longer be cancelled." in (
        response.content.decode()
    )


def test_an_approved_return_shows_the_code_and_takes_a_tracking_number(client, order):
    mine = return_request_make(order=order, status=ReturnStatus.APPROVED)

    page = client.get(detail_url(mine))
    response = client.post(
        action_url("mark_shipped", mine), {"tracking_number": " 7-11-ABC "}
    )

    assert mine.return_code and mine.return_code in page.content.decode()
    assert page.context["can_mark_shipped"] is True
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.tracking_number) == (ReturnStatus.IN_TRANSIT, "7-11-ABC")


def test_a_refunded_return_shows_the_refund_not_a_preview(client, order):
    mine = return_request_make(order=order, status=ReturnStatus.RESOLVED)

    response = client.get(detail_url(mine))

    assert response.context["preview"] is None
    [refund] = response.context["refunds"]
    assert "Refunded" in response.content.decode()
    assert refund.total > 0


# --- The order page panel and the menu ------------------------------------------


def test_the_order_page_offers_returns_and_lists_them(client, order):
    mine = return_request_make(order=order)

    html = client.get(order.get_absolute_url()).content.decode()

    assert f'href="{create_url(order)}"' in html
    assert f'href="{detail_url(mine)}"' in html
    assert 'href="/returns/"' in html  # the member-area menu link


def test_no_panel_before_delivery(client, member):
    from shop.orders.tests.factories import order_with_lines

    order = order_with_lines(user=member)

    html = client.get(order.get_absolute_url()).content.decode()

    assert "returns-panel" not in html


def test_the_panel_says_when_nothing_can_be_returned_any_more(client, member):
    order = delivered_order(
        user=member, delivered_at=timezone.now() - timedelta(days=60)
    )
    return_request_make(
        order=order,
        status=ReturnStatus.CANCELLED,
        now=order.delivered_at + timedelta(days=1),
    )

    html = client.get(order.get_absolute_url()).content.decode()

    assert "Nothing on this order can be returned any more." in html
    assert create_url(order) not in html


# --- Guests -------------------------------------------------------------------


@pytest.fixture
def guest_order(db):
    return delivered_order(guest=True, email="guest@example.com")


def prove(client, order, email=None):
    return client.post(
        reverse("returns:guest"),
        {"number": order.number.lower(), "email": email or order.email.upper()},
    )


def test_a_guest_proves_the_order_asks_and_follows_the_return(
    english_client, guest_order
):
    client = english_client
    proved = prove(client, guest_order)
    assert proved.status_code == 302
    assert proved.url == reverse(
        "returns:guest_order", kwargs={"order_number": guest_order.number}
    )
    hub = client.get(proved.url)
    assert hub.status_code == 200
    assert hub.context["panel"]["can_return"] is True

    form = client.get(create_url(guest_order))
    assert "credit" not in dict(
        form.context["form"].request_form.fields["resolution"].choices
    )
    line = guest_order.lines.first()
    created = client.post(
        create_url(guest_order),
        form_data(guest_order, lines={line: {"quantity": 1, "reason": "wrong_size"}}),
    )
    assert created.status_code == 302
    return_request = ReturnRequest.objects.get()
    assert (return_request.user, return_request.email) == (None, "guest@example.com")

    page = client.get(detail_url(return_request))
    assert page.status_code == 200
    assert page.context["guest"] is True
    cancelled = client.post(action_url("cancel", return_request))
    assert cancelled.status_code == 302
    return_request.refresh_from_db()
    assert return_request.status == ReturnStatus.CANCELLED


def test_a_guest_never_reaches_another_order(english_client, guest_order):
    client = english_client
    other = return_request_make(
        order=delivered_order(guest=True, email="someone@example.com")
    )
    prove(client, guest_order)

    assert client.get(create_url(other.order)).status_code == 302
    assert client.get(detail_url(other)).status_code == 302
    assert client.post(action_url("cancel", other)).status_code == 404
    other.refresh_from_db()
    assert other.status == ReturnStatus.REQUESTED


def test_a_wrong_email_gets_one_answer_and_counts(english_client, guest_order):
    cache.clear()
    response = prove(english_client, guest_order, email="nobody@example.com")

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "We could not find an order with that number and email address."
    ]
    assert english_client.session.get(GRANTS_KEY) is None


def test_too_many_attempts_are_refused_like_the_order_lookup(
    english_client, guest_order, settings
):
    cache.clear()
    settings.ORDER_LOOKUP_MAX_ATTEMPTS = 2
    for _attempt in range(2):
        prove(english_client, guest_order, email="nobody@example.com")

    response = prove(english_client, guest_order)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Too many attempts. Please try again in a few minutes."
    ]


def test_a_forged_or_old_grant_is_worthless(english_client, guest_order):
    from django.core import signing

    session = english_client.session
    session[GRANTS_KEY] = [
        signing.dumps(
            {"order": guest_order.number, "email": guest_order.email},
            salt="another.salt",
        )
    ]
    session.save()
    assert english_client.get(create_url(guest_order)).status_code == 302

    session = english_client.session
    session[GRANTS_KEY] = [
        signing.dumps(
            {"order": guest_order.number, "email": guest_order.email}, salt=GRANT_SALT
        )
    ]
    session.save()
    assert english_client.get(create_url(guest_order)).status_code == 200


def test_the_order_lookup_lets_a_guest_start_a_return(english_client, guest_order):
    english_client.post(
        reverse("orders:lookup"),
        {"number": guest_order.number, "email": guest_order.email},
    )

    page = english_client.get(
        reverse("orders:guest_detail", kwargs={"number": guest_order.number})
    )

    assert f'href="{create_url(guest_order)}"' in page.content.decode()
    assert english_client.get(create_url(guest_order)).status_code == 200


def test_a_guest_may_see_but_not_cancel_a_members_return(english_client):
    user = member_create(email="owner@example.com")
    members = return_request_make(order=delivered_order(user=user))
    prove(english_client, members.order)

    page = english_client.get(detail_url(members))

    assert page.status_code == 200
    assert page.context["can_cancel"] is False
    assert english_client.post(action_url("cancel", members)).status_code == 404
