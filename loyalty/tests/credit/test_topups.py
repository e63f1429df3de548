"""Top-ups: buying through the sandbox card page, provider notices, refunds."""

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from loyalty.credit import services as credit
from loyalty.errors import PurchaseError
from loyalty.models import (
    CreditEntry,
    CreditLot,
    MembershipPlan,
    Purchase,
    PurchaseNotification,
)
from loyalty.purchases import services as purchases
from loyalty.purchases.gateways import purchase_gateway, sandbox_notice
from loyalty.tests.credit.support import (
    D,
    assert_consistent,
    balance,
    credit_order,
    entries_of,
    lots_of,
    plan,
)
from loyalty.tests.points_support import member
from shop.orders.services import order_cancel

pytestmark = pytest.mark.django_db

NOTIFY = "/api/loyalty/purchases/card/notify/"


@pytest.fixture
def user():
    return member(email="topup@example.com", name="陳小華")


@pytest.fixture
def topup(user):
    """A pending top-up of NT$1,000 + NT$100 bonus (bonus usable 30 days)."""
    return purchases.purchase_start(
        user=user, kind="topup", plan=plan(), gateway_code="card"
    )


def notify(client, purchase, outcome="paid", **kwargs):
    body, headers = sandbox_notice(
        gateway=purchase_gateway("card"), purchase=purchase, outcome=outcome, **kwargs
    )
    return client.post(
        NOTIFY, data=body, content_type="application/json", headers=headers
    )


def pay(purchase):
    """Pay `purchase` as the provider would: a verified "paid" notice."""
    gateway = purchase_gateway("card")
    body, headers = sandbox_notice(gateway=gateway, purchase=purchase, outcome="paid")
    notice = gateway.verify_payload(body=body, headers=headers)
    return purchases.purchase_notification_process(gateway=gateway, notice=notice)


# --- Buying ------------------------------------------------------------------------


def test_a_member_tops_up_through_the_sandbox_card_page(
    client, user, django_capture_on_commit_callbacks
):
    offer = plan(price="1000", bonus="100", days=30, name="Top up NT$1,000")
    client.force_login(user)

    page = client.get("/account/credit/")
    html = page.content.decode()
    assert "Pay NT$1,000, get NT$1,100 of credit." in html
    assert "The NT$100 bonus is usable for 30 days." in html

    response = client.post(
        "/account/credit/top-up/", {"plan": offer.pk, "gateway": "card"}
    )
    purchase = Purchase.objects.get()
    assert (purchase.kind, purchase.amount, purchase.bonus, purchase.status) == (
        "topup",
        D(1000),
        D(100),
        "pending",
    )
    assert purchase.number.startswith("P") and len(purchase.number) == 13
    assert response.status_code == 302
    assert response.url.startswith("/account/purchases/sandbox/")

    pay_page = client.get(response.url)
    assert "NT$1,000" in pay_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response.url, {"outcome": "paid"})
    assert done.url == f"/account/purchases/{purchase.number}/"

    purchase.refresh_from_db()
    assert purchase.status == "paid" and purchase.transaction_id.startswith("SBX")
    lots = list(
        CreditLot.objects.filter(purchase=purchase)
        .order_by("pk")
        .values_list("source", "amount", "expires_at")
    )
    bonus_expiry = lots[1][2]
    assert lots == [("topup", D(1000), None), ("bonus", D(100), bonus_expiry)]
    today = timezone.localdate(purchase.paid_at)
    assert timezone.localtime(bonus_expiry).date() == today + timedelta(days=31)
    assert balance(user) == D(1100)
    assert PurchaseNotification.objects.get().status == "paid"

    [receipt] = mail.outbox
    assert receipt.to == [user.email]
    assert receipt.subject.endswith(f"Receipt for your top-up {purchase.number}")
    assert "Added to your shopping credit: NT$1,100" in receipt.body
    detail = client.get(done.url).content.decode()
    assert "Thank you, your payment has been received." in detail
    assert_consistent()


def test_a_failed_payment_can_be_paid_again(client, user, topup):
    client.force_login(user)
    response = notify(client, topup, outcome="failed")
    assert response.json()["status"] == "failed"
    topup.refresh_from_db()
    assert topup.status == "failed"
    assert balance(user) == D(0)

    again = client.post(f"/account/purchases/{topup.number}/pay/")
    assert again.url.startswith("/account/purchases/sandbox/")
    assert notify(client, topup).json()["status"] == "paid"
    assert balance(user) == D(1100)


# --- Provider notices ------------------------------------------------------------


def test_a_signed_notice_credits_once_and_a_replay_is_refused(client, user, topup):
    body, headers = sandbox_notice(
        gateway=purchase_gateway("card"), purchase=topup, outcome="paid"
    )
    post = {"data": body, "content_type": "application/json", "headers": headers}

    first = client.post(NOTIFY, **post)
    assert first.status_code == 200
    assert first.json() == {"status": "paid", "detail": "Payment recorded."}
    replay = client.post(NOTIFY, **post)
    assert replay.status_code == 400
    assert replay.json()["code"] == "replay"
    other_notice = notify(client, topup)
    assert other_notice.json()["status"] == "already_paid"

    assert balance(user) == D(1100)
    assert CreditEntry.objects.filter(kind="grant").count() == 2
    assert PurchaseNotification.objects.count() == 2
    assert_consistent()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"amount": D(999)}, "amount_mismatch"),
        ({"timestamp": int(time.time()) - 3600}, "stale"),
    ],
)
def test_a_wrong_notice_changes_nothing(client, user, topup, kwargs, code):
    response = notify(client, topup, **kwargs)
    assert response.status_code == 400
    assert response.json()["code"] == code
    topup.refresh_from_db()
    assert topup.status == "pending"
    assert PurchaseNotification.objects.count() == 0
    assert balance(user) == D(0)


def test_a_notice_with_a_bad_signature_or_reference_is_refused(client, topup):
    body, headers = sandbox_notice(
        gateway=purchase_gateway("card"), purchase=topup, outcome="paid"
    )
    forged = client.post(
        NOTIFY,
        data=body,
        content_type="application/json",
        headers={"X-Payment-Signature": "0" * 64},
    )
    assert forged.json()["code"] == "bad_signature"
    data = json.loads(body)
    data["reference"] = "P000000XXXXXX"
    other = json.dumps(data).encode()
    gateway = purchase_gateway("card")
    unknown = client.post(
        NOTIFY,
        data=other,
        content_type="application/json",
        headers={"X-Payment-Signature": gateway.sign(other)},
    )
    assert unknown.json()["code"] == "unknown_payment"
    # Gateways that take no notices take no purchases.
    assert client.post("/api/loyalty/purchases/atm/notify/").status_code == 404


# --- Starting a purchase -----------------------------------------------------------


def test_a_purchase_needs_a_plan_on_sale_and_a_hosted_gateway(user):
    offer = plan(is_active=False)
    with pytest.raises(PurchaseError) as error:
        purchases.purchase_start(
            user=user, kind="topup", plan=offer, gateway_code="card"
        )
    assert error.value.field == "plan"
    with pytest.raises(PurchaseError) as error:
        purchases.purchase_start(
            user=user, kind="topup", plan=plan(), gateway_code="atm"
        )
    assert (error.value.field, error.value.message) == (
        "gateway",
        "Choose a payment method from the list.",
    )
    membership_plan = MembershipPlan.objects.create(
        name="Monthly", code="monthly", price=D(199)
    )
    with pytest.raises(PurchaseError) as error:
        purchases.purchase_start(
            user=user, kind="topup", plan=membership_plan, gateway_code="card"
        )
    assert error.value.field == "plan"
    assert Purchase.objects.count() == 0


def test_a_paid_purchase_is_not_paid_again(topup):
    pay(topup)
    topup.refresh_from_db()
    with pytest.raises(PurchaseError):
        purchases.purchase_payment_url(purchase=topup, request=None)
    assert (
        purchases.purchase_mark_paid(purchase=topup, transaction_id="X", note="").pk
        == topup.pk
    )
    assert CreditEntry.objects.count() == 2


def test_staff_mark_a_bank_transfer_paid_with_a_note(user, topup):
    staff = member(email="staff@example.com", is_staff=True)
    with pytest.raises(PurchaseError) as error:
        purchases.purchase_mark_paid(
            purchase=topup, transaction_id="", note=" ", actor=staff
        )
    assert error.value.field == "note"

    paid = purchases.purchase_mark_paid(
        purchase=topup,
        transaction_id="TW-778",
        note="Transfer seen 2027-01-15",
        actor=staff,
    )

    assert (paid.status, paid.transaction_id) == ("paid", "TW-778")
    assert balance(user) == D(1100)
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get().change_message == (
        "Marked paid: Transfer seen 2027-01-15"
    )


# --- Refunds -------------------------------------------------------------------


def test_a_refund_pays_back_the_unspent_paid_part_and_forfeits_the_bonus(user, topup):
    staff = member(email="staff@example.com", is_staff=True)
    pay(topup)
    # 300 spent: the bonus (it expires) first, then 200 of paid money.
    order = credit_order(user, ["-200", "-100"])
    credit.credit_spend_for_order(order=order)
    assert lots_of(user) == [("topup", D(1000), D(800)), ("bonus", D(100), D(0))]

    refunded = purchases.topup_refund(purchase=topup, actor=staff)

    assert refunded == D(800)
    topup.refresh_from_db()
    assert (topup.status, topup.refunded_amount) == ("refunded", D(800))
    assert entries_of(user, kind="withdraw") == [("withdraw", D(-800))]
    assert balance(user) == D(0)
    assert_consistent()

    # The order is cancelled later: the paid money comes back as credit, the
    # bonus it used stays forfeited.
    order_cancel(order=order)
    assert entries_of(user, kind="restore") == [("restore", D(200))]
    assert lots_of(user) == [("topup", D(1000), D(200)), ("bonus", D(100), D(0))]
    assert balance(user) == D(200)
    with pytest.raises(PurchaseError):
        purchases.topup_refund(purchase=topup, actor=staff)
    assert_consistent()


def test_a_refund_withdraws_what_is_left_of_the_bonus(user, topup):
    pay(topup)
    order = credit_order(user, ["-30", "-20"])
    credit.credit_spend_for_order(order=order)

    assert purchases.topup_refund(purchase=topup, actor=None) == D(1000)

    assert entries_of(user, kind="withdraw") == [
        ("withdraw", D(-1000)),
        ("withdraw", D(-50)),
    ]
    assert balance(user) == D(0)
    assert_consistent()


def test_nothing_to_refund_once_the_paid_part_is_spent(user, topup):
    pay(topup)
    order = credit_order(user, ["-700", "-400"])
    credit.credit_spend_for_order(order=order)

    with pytest.raises(PurchaseError) as error:
        purchases.topup_refund(purchase=topup, actor=None)

    assert error.value.code == "nothing_to_refund"
    topup.refresh_from_db()
    assert (topup.status, topup.refunded_amount) == ("paid", D(0))
    assert CreditEntry.objects.filter(kind="withdraw").count() == 0


def test_purchase_refund_is_recorded_once(user, topup):
    pay(topup)
    topup.refresh_from_db()
    with pytest.raises(PurchaseError) as error:
        purchases.purchase_refund(purchase=topup, amount=D(1001), actor=None, note="")
    assert error.value.message == "At most NT$1,000 can be refunded."
    refunded = purchases.purchase_refund(
        purchase=topup, amount=D(400), actor=None, note="Goodwill"
    )
    assert (refunded.status, refunded.refunded_amount) == ("refunded", D(400))
    with pytest.raises(PurchaseError):
        purchases.purchase_refund(purchase=topup, amount=D(1), actor=None, note="")
