"""The credit ledger: granting, spending by lot, giving back, expiring, adjusting."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loyalty.credit import services as credit
from loyalty.errors import CreditError
from loyalty.models import (
    CreditDraw,
    CreditEntry,
    CreditLot,
    CreditSource,
    Membership,
)
from loyalty.tasks.credit import expire_due_credit
from loyalty.tests.credit.support import (
    D,
    assert_consistent,
    balance,
    credit_order,
    entries_of,
    grant,
    lots_of,
)
from loyalty.tests.points_support import clock_install, member, taipei
from shop.orders.services import order_cancel

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return clock_install(monkeypatch)


@pytest.fixture
def user():
    return member(email="wallet@example.com")


# --- Granting ------------------------------------------------------------------


def test_a_grant_is_one_lot_and_one_entry(user):
    entry = grant(user, "250", source=CreditSource.BIRTHDAY, key="gift:1")

    assert (entry.kind, entry.amount, entry.currency) == ("grant", D(250), "TWD")
    assert entry.lot.source == "birthday"
    assert lots_of(user) == [("birthday", D(250), D(250))]
    assert balance(user) == D(250)
    assert_consistent()


def test_a_grant_with_the_same_key_books_once(user):
    first = grant(user, "250", key="gift:1")
    again = grant(user, "250", key="gift:1")

    assert again.pk == first.pk
    assert CreditEntry.objects.count() == 1
    assert balance(user) == D(250)
    with pytest.raises(CreditError) as error:
        grant(user, "300", key="gift:1")
    assert error.value.field == "idempotency_key"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Enter an amount greater than 0."),
        ("-5", "Enter an amount greater than 0."),
        ("10.5", "Enter a whole amount."),
        ("abc", "Enter an amount."),
    ],
)
def test_a_grant_refuses_bad_amounts(user, amount, message):
    with pytest.raises(CreditError) as error:
        credit.credit_grant(
            user=user,
            amount=amount,
            source=CreditSource.CAMPAIGN,
            idempotency_key="k",
            reason="x",
        )
    assert (error.value.field, error.value.message) == ("amount", message)
    assert CreditEntry.objects.count() == 0


def test_a_grant_refuses_a_float(user):
    with pytest.raises(CreditError):
        credit.credit_grant(
            user=user,
            amount=10.0,
            source=CreditSource.CAMPAIGN,
            idempotency_key="k",
            reason="x",
        )


# --- Spending by lot -------------------------------------------------------------


def test_spending_takes_soonest_expiring_first_and_paid_topup_money_last(user, clock):
    now = clock.now
    paid = grant(user, "500", source=CreditSource.TOPUP).lot
    refund = grant(user, "100", source=CreditSource.REFUND).lot
    later = grant(user, "100", expires_at=now + timedelta(days=60)).lot
    sooner = grant(user, "100", expires_at=now + timedelta(days=10)).lot
    order = credit_order(user, ["-300", "-100"])

    spend = credit.credit_spend_for_order(order=order)

    assert (spend.kind, spend.amount, spend.order_id) == ("spend", D(-400), order.pk)
    drawn = dict(CreditDraw.objects.filter(entry=spend).values_list("lot_id", "amount"))
    assert drawn == {
        sooner.pk: D(100),
        later.pk: D(100),
        refund.pk: D(100),
        paid.pk: D(100),
    }
    assert balance(user) == D(400)
    assert_consistent()


def test_spending_twice_for_one_order_books_once(user):
    grant(user, "500")
    order = credit_order(user, ["-300", "-100"])

    first = credit.credit_spend_for_order(order=order)
    again = credit.credit_spend_for_order(order=order)

    assert again.pk == first.pk
    assert balance(user) == D(100)


def test_spending_more_than_the_balance_is_refused(user):
    grant(user, "350")
    order = credit_order(user, ["-300", "-100"])

    with pytest.raises(CreditError) as error:
        credit.credit_spend_for_order(order=order)

    assert error.value.field == "credit"
    assert error.value.message == "You have only NT$350 shopping credit left."
    assert balance(user) == D(350)
    assert CreditEntry.objects.filter(kind="spend").count() == 0


def test_credit_past_its_expiry_is_not_spent(user, clock):
    grant(user, "300", expires_at=clock.now + timedelta(hours=1))
    grant(user, "200")
    clock.advance(hours=2)
    order = credit_order(user, ["-150", "-100"])

    with pytest.raises(CreditError) as error:
        credit.credit_spend_for_order(order=order)

    assert error.value.message == "You have only NT$200 shopping credit left."
    # The refusal rolled the expiry back too; the sweep books it.
    assert balance(user) == D(500)
    assert credit.credit_expire_due(now=clock.now) == D(300)
    assert balance(user) == D(200)
    assert_consistent()


def test_an_order_without_credit_or_without_a_member_spends_nothing(user):
    order = credit_order(user, [])
    assert credit.credit_spend_for_order(order=order) is None
    assert CreditEntry.objects.count() == 0


# --- Giving back ---------------------------------------------------------------


def _spent_order(user, clock):
    """400 spent: 100 from a bonus lot expiring in 10 days, 300 of paid money."""
    paid = grant(user, "1000", source=CreditSource.TOPUP).lot
    bonus = grant(
        user,
        "100",
        source=CreditSource.TOPUP_BONUS,
        expires_at=clock.now + timedelta(days=10),
    ).lot
    order = credit_order(user, ["-300", "-100"])
    credit.credit_spend_for_order(order=order)
    return order, paid, bonus


def test_cancelling_the_order_gives_back_to_the_same_lots(user, clock):
    order, paid, bonus = _spent_order(user, clock)
    assert balance(user) == D(700)

    order_cancel(order=order, reason="Customer changed their mind")

    restore = CreditEntry.objects.get(kind="restore")
    assert (restore.amount, restore.order_id, restore.lot_id) == (
        D(400),
        order.pk,
        None,
    )
    assert restore.reason == f"Order {order.number} cancelled"
    paid.refresh_from_db()
    bonus.refresh_from_db()
    assert (paid.remaining, bonus.remaining) == (D(1000), D(100))
    assert balance(user) == D(1100)
    assert list(
        CreditDraw.objects.order_by("pk").values_list("amount", "restored")
    ) == [
        (D(100), D(100)),
        (D(300), D(300)),
    ]
    assert_consistent()


def test_a_partial_give_back_refills_the_latest_expiring_lot_first(user, clock):
    order, paid, bonus = _spent_order(user, clock)

    first = credit.credit_restore_for_order(
        order=order, amount=D(250), idempotency_key="return:1", reason="Returned"
    )
    assert (first.amount, first.lot_id) == (D(250), paid.pk)
    again = credit.credit_restore_for_order(
        order=order, amount=D(250), idempotency_key="return:1", reason="Returned"
    )
    assert again.pk == first.pk
    second = credit.credit_restore_for_order(
        order=order, amount=D(100), idempotency_key="return:2", reason="Returned"
    )
    # 50 left of the paid draw, then 50 of the bonus draw.
    assert (second.amount, second.lot_id) == (D(100), None)
    paid.refresh_from_db()
    bonus.refresh_from_db()
    assert (paid.remaining, bonus.remaining) == (D(1000), D(50))

    # Cancelling gives back only what is still owed.
    rest = credit.credit_restore_for_order(
        order=order, idempotency_key="cancel", reason="Cancelled"
    )
    assert (rest.amount, rest.lot_id) == (D(50), bonus.pk)
    assert (
        credit.credit_restore_for_order(
            order=order, idempotency_key="cancel:again", reason="Cancelled"
        )
        is None
    )
    assert balance(user) == D(1100)
    assert_consistent()


def test_credit_given_back_to_an_expired_lot_comes_as_a_new_lot(user, clock):
    order, _paid, bonus = _spent_order(user, clock)
    clock.advance(days=11)
    credit.credit_expire_due(now=clock.now)

    entry = credit.credit_restore_for_order(
        order=order, idempotency_key="cancel", reason="Cancelled"
    )

    assert entry.amount == D(400)
    bonus.refresh_from_db()
    assert bonus.remaining == D(0)
    new = CreditLot.objects.order_by("pk").last()
    assert (new.source, new.amount, new.remaining, new.order_id) == (
        "bonus",
        D(100),
        D(100),
        order.pk,
    )
    # Valid 30 days from the give-back day (2027-01-26): through 2027-02-25.
    assert new.expires_at == taipei("2027-02-26 00:00")
    assert balance(user) == D(1100)
    assert_consistent()


def test_nothing_to_give_back_without_a_spend(user):
    order = credit_order(user, [])
    assert (
        credit.credit_restore_for_order(order=order, idempotency_key="x", reason="x")
        is None
    )


# --- Expiry --------------------------------------------------------------------


def test_the_sweep_expires_each_due_lot_once(user, clock):
    other = member(email="other@example.com")
    grant(user, "100", expires_at=clock.now + timedelta(hours=1))
    grant(user, "70", expires_at=clock.now + timedelta(hours=2))
    grant(other, "30", expires_at=clock.now + timedelta(hours=1))
    grant(user, "500")
    clock.advance(hours=1)

    assert credit.credit_expire_due(now=clock.now) == D(130)
    assert credit.credit_expire_due(now=clock.now) == D(0)
    assert entries_of(user, kind="expire") == [("expire", D(-100))]
    assert (balance(user), balance(other)) == (D(570), D(0))

    clock.advance(hours=1)
    assert D(expire_due_credit.apply().result) == D(70)
    assert balance(user) == D(500)
    assert_consistent()


def test_a_spent_lot_expires_only_its_rest(user, clock):
    grant(user, "300", expires_at=clock.now + timedelta(days=1))
    order = credit_order(user, ["-200", "-50"])
    credit.credit_spend_for_order(order=order)
    clock.advance(days=1)

    assert credit.credit_expire_due(now=clock.now) == D(50)
    assert balance(user) == D(0)
    assert_consistent()


# --- Staff adjustments -----------------------------------------------------------


def test_an_adjustment_adds_and_takes_credit_with_its_actor(user):
    staff = member(email="staff@example.com", is_staff=True)
    grant(user, "100", source=CreditSource.TOPUP)

    added = credit.credit_adjust(
        user=user,
        amount=D(300),
        reason="Late delivery",
        actor=staff,
        idempotency_key="adm:1",
    )
    taken = credit.credit_adjust(
        user=user,
        amount=D(-350),
        reason="Granted twice by mistake",
        actor=staff,
        idempotency_key="adm:2",
    )

    assert (added.kind, added.amount, added.actor_id) == ("adjust", D(300), staff.pk)
    assert added.lot.source == "grant"
    assert taken.amount == D(-350)
    # The staff grant goes first, the paid top-up money last.
    assert lots_of(user) == [("topup", D(100), D(50)), ("grant", D(300), D(0))]
    assert balance(user) == D(50)
    again = credit.credit_adjust(
        user=user,
        amount=D(-350),
        reason="Granted twice by mistake",
        actor=staff,
        idempotency_key="adm:2",
    )
    assert again.pk == taken.pk
    assert_consistent()


@pytest.mark.parametrize(
    ("amount", "reason", "field", "message"),
    [
        ("-51", "Too much", "amount", "The member has only NT$50 shopping credit."),
        ("0", "Zero", "amount", "Enter an amount other than 0."),
        ("10", "  ", "reason", "Give a reason."),
    ],
)
def test_an_adjustment_is_refused_with_a_reason(user, amount, reason, field, message):
    grant(user, "50")
    with pytest.raises(CreditError) as error:
        credit.credit_adjust(
            user=user, amount=D(amount), reason=reason, actor=None, idempotency_key="k"
        )
    assert (error.value.field, error.value.message) == (field, message)
    assert balance(user) == D(50)


# --- Reconciliation ---------------------------------------------------------------


def test_reconcile_credit_reports_nothing_when_all_agree(user):
    grant(user, "100")
    out = StringIO()
    call_command("reconcile_credit", stdout=out)
    assert out.getvalue().strip() == "0 differences"


def test_reconcile_credit_finds_a_broken_balance_and_a_broken_draw(user):
    grant(user, "100")
    order = credit_order(user, ["-30", "-10"])
    spend = credit.credit_spend_for_order(order=order)
    membership = Membership.objects.get(user=user)
    Membership.objects.filter(pk=membership.pk).update(credit_balance=D(99))
    CreditDraw.objects.filter(entry=spend).update(amount=D(39))

    problems = credit.credit_reconcile()

    assert problems == [
        f"member {membership.pk}: credit balance 99.00, ledger 60.00, lots 60.00",
        f"entry {spend.pk} (spend): amount -40.00, drawn 39.00",
    ]
    with pytest.raises(CommandError, match="2 differences"):
        call_command("reconcile_credit", stdout=StringIO())
    # Put right again, for the check after every test.
    Membership.objects.filter(pk=membership.pk).update(credit_balance=D(60))
    CreditDraw.objects.filter(entry=spend).update(amount=D(40))
