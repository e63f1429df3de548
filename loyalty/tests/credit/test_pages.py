"""The member's credit page and API, purchases, and the back office, with the
query counts of every list (N and N+1 rows cost the same)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from loyalty.models import CreditEntry, CreditSource, Purchase
from loyalty.purchases import services as purchases
from loyalty.selectors.programme import programme
from loyalty.services.membership import membership_ensure
from loyalty.tests.admin_support import (
    change_form_data,
    customer_service_login,
    merchant_login,
    queries_of,
)
from loyalty.tests.credit.support import (
    D,
    assert_consistent,
    balance,
    credit_order,
    grant,
    plan,
)
from loyalty.tests.points_support import clock_install, member, taipei

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return clock_install(monkeypatch, "2027-01-15 10:00")


@pytest.fixture
def user():
    return member(email="wallet@example.com", name="林小美")


def _fill(user, n: int, offer):
    """n rows of each kind the page lists: grants, spends, purchases, plans."""
    for index in range(n):
        grant(user, "100", expires_at=timezone.now() + timedelta(days=10 + index))
        purchases.purchase_start(
            user=user, kind="topup", plan=offer, gateway_code="card"
        )
        plan(price=str(500 + index))


def _api(user):
    api = APIClient(headers={"Accept-Language": "en"})
    api.force_authenticate(user)
    return api


def _api_queries(api, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
        assert response.status_code == 200, response.data
    return len(captured)


# --- The member's page -------------------------------------------------------------


def test_the_credit_page_splits_the_wallet_and_lists_expiry(client, user, clock):
    grant(user, "1000", source=CreditSource.TOPUP)
    grant(
        user,
        "100",
        source=CreditSource.TOPUP_BONUS,
        expires_at=taipei("2027-02-15 00:00"),
    )
    grant(
        user,
        "200",
        source=CreditSource.BIRTHDAY,
        expires_at=taipei("2027-02-01 00:00"),
    )
    client.force_login(user)

    page = client.get("/account/credit/")

    summary = page.context["summary"]
    assert (summary.balance, summary.paid.amount, summary.bonus.amount) == (
        D(1300),
        D(1000),
        D(100),
    )
    assert [(row.on.isoformat(), row.amount) for row in summary.expiries] == [
        ("2027-01-31", D(200)),
        ("2027-02-14", D(100)),
    ]
    html = page.content.decode()
    assert "NT$1,300" in html
    assert 'href="/account/credit/"' in html  # the menu link
    assert "3 entries" in html
    filtered = client.get("/account/credit/", {"kind": "spend"})
    assert "No credit entries match this filter." in filtered.content.decode()


def test_the_credit_page_costs_the_same_for_more_rows(client, user):
    offer = plan()
    client.force_login(user)
    _fill(user, 2, offer)
    client.get("/account/credit/")  # caches the programme and the menu's reads
    few = queries_of(client, "/account/credit/")
    _fill(user, 1, offer)
    assert queries_of(client, "/account/credit/") == few


def test_buying_an_unknown_plan_says_so(client, user):
    client.force_login(user)
    response = client.post("/account/credit/top-up/", {"plan": 999, "gateway": "card"})
    assert response.url == "/account/credit/"
    page = client.get(response.url)
    assert "This plan is not on sale. Choose another one." in page.content.decode()
    assert Purchase.objects.count() == 0


def test_purchase_pages_show_only_the_members_own(client, user):
    offer = plan()
    mine = purchases.purchase_start(
        user=user, kind="topup", plan=offer, gateway_code="card"
    )
    other = purchases.purchase_start(
        user=member(email="other@example.com"),
        kind="topup",
        plan=offer,
        gateway_code="card",
    )
    client.force_login(user)
    assert client.get(f"/account/purchases/{mine.number}/").status_code == 200
    assert client.get(f"/account/purchases/{other.number}/").status_code == 404
    listing = client.get("/account/purchases/").content.decode()
    assert mine.number in listing and other.number not in listing
    few = queries_of(client, "/account/purchases/")
    purchases.purchase_start(user=user, kind="topup", plan=offer, gateway_code="card")
    assert queries_of(client, "/account/purchases/") == few


# --- API -------------------------------------------------------------------------


def test_my_credit_over_the_api(user, clock):
    grant(user, "1000", source=CreditSource.TOPUP)
    grant(
        user,
        "100",
        source=CreditSource.TOPUP_BONUS,
        expires_at=taipei("2027-02-15 00:00"),
    )

    response = _api(user).get("/api/loyalty/credit/")

    assert response.status_code == 200
    assert response.data == {
        "balance": "1100",
        "balance_display": "NT$1,100",
        "currency": "TWD",
        "paid": {"amount": "1000", "never_expiring": "1000", "expiries": []},
        "bonus": {
            "amount": "100",
            "never_expiring": "0",
            "expiries": [{"date": "2027-02-14", "amount": "100"}],
        },
        "other": {"amount": "0", "never_expiring": "0", "expiries": []},
        "expiries": [{"date": "2027-02-14", "amount": "100"}],
        "rule": "Shopping credit can pay all of what is left to pay.",
    }


def test_my_credit_entries_over_the_api(user):
    grant(user, "500")
    order = credit_order(user, ["-100", "-50"])
    from loyalty.credit import services as credit

    credit.credit_spend_for_order(order=order)
    api = _api(user)

    response = api.get("/api/loyalty/credit/entries/", {"kind": "spend"})

    assert response.data["count"] == 1
    [row] = response.data["results"]
    assert (row["kind"], row["amount"], row["amount_display"]) == (
        "spend",
        "-150",
        "-NT$150",
    )
    assert row["order"]["number"] == order.number
    bad = api.get("/api/loyalty/credit/entries/", {"kind": "nope"})
    assert bad.status_code == 400
    assert list(bad.data) == ["kind"]

    few = _api_queries(api, "/api/loyalty/credit/entries/")
    other_order = credit_order(user, ["-10", "-10"])
    credit.credit_spend_for_order(order=other_order)
    assert _api_queries(api, "/api/loyalty/credit/entries/") == few
    assert_consistent()


def test_top_up_plans_and_buying_one_over_the_api(user):
    offer = plan(price="1000", bonus="100", days=None, name="Top up 1000")
    plan(price="2000", bonus="300", is_active=False)
    api = _api(user)

    listing = APIClient().get("/api/loyalty/topup-plans/")
    assert listing.data["results"] == [
        {
            "id": offer.pk,
            "name": "Top up 1000",
            "price": "1000",
            "bonus": "100",
            "credit_total": "1100",
            "bonus_valid_days": None,
        }
    ]

    response = api.post("/api/loyalty/topups/", {"plan": offer.pk}, format="json")
    assert response.status_code == 201, response.data
    purchase = Purchase.objects.get()
    assert response.data["purchase"]["number"] == purchase.number
    assert response.data["purchase"]["status"] == "pending"
    assert response.data["payment_url"].startswith(
        "http://testserver/account/purchases/sandbox/"
    )

    unknown = api.post("/api/loyalty/topups/", {"plan": 999}, format="json")
    assert unknown.status_code == 400
    assert unknown.data == {"plan": ["This plan is not on sale. Choose another one."]}
    bad_gateway = api.post(
        "/api/loyalty/topups/", {"plan": offer.pk, "gateway": "cod"}, format="json"
    )
    assert bad_gateway.data == {"gateway": ["Choose a payment method from the list."]}
    assert APIClient().post("/api/loyalty/topups/", {}).status_code in (401, 403)

    mine = api.get("/api/loyalty/purchases/")
    assert [row["number"] for row in mine.data["results"]] == [purchase.number]
    few = _api_queries(api, "/api/loyalty/purchases/")
    purchases.purchase_start(user=user, kind="topup", plan=offer, gateway_code="card")
    assert _api_queries(api, "/api/loyalty/purchases/") == few


# --- Back office -------------------------------------------------------------------


def test_the_credit_ledgers_and_purchases_lists_cost_the_same_for_more_rows(
    client, user
):
    merchant_login(client)
    offer = plan()
    _fill(user, 2, offer)
    urls = [
        "/admin/loyalty/creditentry/",
        "/admin/loyalty/creditlot/",
        "/admin/loyalty/purchase/",
        "/admin/loyalty/topupplan/",
    ]
    few = [queries_of(client, url) for url in urls]
    _fill(user, 1, offer)
    assert [queries_of(client, url) for url in urls] == few
    found = client.get("/admin/loyalty/purchase/", {"q": user.email})
    assert found.context["cl"].result_count == 3


def test_a_top_up_plan_is_priced_in_whole_dollars(client):
    merchant_login(client)
    data = {
        "name": "Top up 1000",
        "price": "1000.50",
        "bonus": "99.5",
        "is_active": "on",
        "position": "0",
    }
    response = client.post("/admin/loyalty/topupplan/add/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "price": ["Enter a whole amount."],
        "bonus": ["Enter a whole amount."],
    }
    response = client.post(
        "/admin/loyalty/topupplan/add/", {**data, "price": "1000", "bonus": "100"}
    )
    assert response.status_code == 302


def test_the_credit_cap_and_stacking_are_set_in_the_programme(client):
    merchant_login(client)
    change = "/admin/loyalty/loyaltyprogramme/1/change/"
    data = change_form_data(client.get(change))
    data.update(credit_max_percent="50", credit_with_points="")

    response = client.post(change, data)

    assert response.status_code == 302
    settings_row = programme()
    assert (settings_row.credit_max_percent, settings_row.credit_with_points) == (
        50,
        False,
    )


def test_staff_grant_and_deduct_credit_from_the_member_page(client, user):
    merchant = merchant_login(client)
    membership = user.membership
    page = client.get(f"/admin/loyalty/membership/{membership.pk}/change/")
    url = f"/admin/loyalty/creditentry/adjust/{membership.pk}/"
    assert url in page.content.decode()

    form = client.get(url).context["form"]
    key = form["idempotency_key"].value()
    data = {
        "amount": "300",
        "reason": "Late delivery",
        "valid_days": "30",
        "idempotency_key": key,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit
    entry = CreditEntry.objects.get()
    assert (entry.kind, entry.amount, entry.actor_id) == ("adjust", D(300), merchant.pk)
    assert entry.lot.expires_at is not None
    assert balance(user) == D(300)

    too_much = client.post(
        url,
        {
            "amount": "-301",
            "reason": "Oops",
            "idempotency_key": client.get(url)
            .context["form"]["idempotency_key"]
            .value(),
        },
    )
    assert too_much.status_code == 200
    assert too_much.context["form"].errors == {
        "amount": ["The member has only NT$300 shopping credit."]
    }
    assert_consistent()


def test_credit_adjustments_need_the_permission_and_not_oneself(client, user):
    customer_service_login(client)
    assert (
        client.get(
            f"/admin/loyalty/creditentry/adjust/{user.membership.pk}/"
        ).status_code
        == 403
    )
    merchant = merchant_login(client)
    mine = membership_ensure(user=merchant)
    assert (
        client.get(f"/admin/loyalty/creditentry/adjust/{mine.pk}/").status_code == 403
    )


def test_the_refund_action_confirms_then_refunds_the_unspent_paid_part(client, user):
    merchant_login(client)
    topup = purchases.purchase_start(
        user=user, kind="topup", plan=plan(), gateway_code="card"
    )
    purchases.purchase_mark_paid(purchase=topup, transaction_id="SBX1", note="paid")
    action = {"action": "refund_unspent_topup", "_selected_action": [topup.pk]}

    confirm = client.post("/admin/loyalty/purchase/", action)
    assert confirm.status_code == 200
    assert "refund NT$1,000, bonus NT$100 forfeited" in confirm.content.decode()

    done = client.post("/admin/loyalty/purchase/", {**action, "apply": "1"})
    assert done.status_code == 302
    topup.refresh_from_db()
    assert (topup.status, topup.refunded_amount) == ("refunded", D(1000))
    listing = client.get("/admin/loyalty/purchase/").content.decode()
    assert (
        "Refund NT$1,000 to the customer through Credit card (reference SBX1)."
        in listing
    )
    assert balance(user) == D(0)
    assert_consistent()


def test_the_mark_paid_action_needs_a_note(client, user):
    merchant_login(client)
    topup = purchases.purchase_start(
        user=user, kind="topup", plan=plan(), gateway_code="card"
    )
    action = {"action": "mark_paid", "_selected_action": [topup.pk], "apply": "1"}

    missing = client.post("/admin/loyalty/purchase/", action)
    assert missing.status_code == 200
    assert missing.context["form"].errors == {"note": ["Say how the payment arrived."]}
    done = client.post(
        "/admin/loyalty/purchase/",
        {**action, "note": "Bank transfer 2027-01-15", "transaction_id": "TW1"},
    )
    assert done.status_code == 302
    topup.refresh_from_db()
    assert (topup.status, topup.transaction_id) == ("paid", "TW1")
    assert balance(user) == D(1100)


def test_the_dashboard_shows_the_credit_card(client, user, clock):
    grant(user, "500", expires_at=taipei("2027-03-01 00:00"))
    client.force_login(user)
    html = client.get("/account/").content.decode()
    assert "Shopping credit" in html
    assert "NT$500 is usable until" in html
    other = member(email="empty@example.com")
    client.force_login(other)
    # No credit and no top-up on sale: no card.
    assert "card-credit-title" not in client.get("/account/").content.decode()
