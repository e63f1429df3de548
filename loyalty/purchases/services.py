"""Purchases from the shop itself (top-ups, paid membership): start, pay, refund.

A purchase is paid like an order through a hosted gateway, with its own
number as the reference. Once paid it is delivered by kind: a top-up
becomes two credit lots (the paid part, which never expires, and the bonus,
which may), a membership purchase starts a paid period
(`loyalty.plans.services.paid_membership_activate`). A refund is recorded
once per purchase; the money goes back through the provider or the bank by
hand (the sandbox has no refund API), which the back office tells staff.

Lock order: the purchase row, then the member (`membership_lock`), then lots.
Changes made by a person (`actor`: staff marking a bank transfer paid,
recording a refund) are written to the purchase's admin history with the
note; changes made by a provider are recorded as its notices.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.credit import services as credit
from loyalty.errors import CreditError, PurchaseError
from loyalty.models import (
    CreditSource,
    MembershipPlan,
    Purchase,
    PurchaseKind,
    PurchaseNotification,
    PurchaseStatus,
    TopUpPlan,
)
from loyalty.purchases.gateways import purchase_gateway, redirect_url
from shop.checkout.errors import NotificationRejected
from shop.checkout.payments.base import Notification
from shop.core.money import format_money, money_round

NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER_ATTEMPTS = 5
PAYABLE = (PurchaseStatus.PENDING, PurchaseStatus.FAILED)


def purchase_number_generate(*, now=None) -> str:
    """`P2611225K7QXA`: "P", the date in the shop's time zone, six random characters."""
    local = timezone.localtime(now)
    suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))
    return f"P{local:%y%m%d}{suffix}"


def _plan_check(kind: str, plan):
    expected = {PurchaseKind.TOPUP: TopUpPlan, PurchaseKind.MEMBERSHIP: MembershipPlan}
    if kind not in expected:
        raise PurchaseError(_("Unknown kind of purchase."), field="kind")
    if not isinstance(plan, expected[kind]) or not plan.is_active:
        raise PurchaseError(
            _("This plan is not on sale. Choose another one."),
            field="plan",
            code="plan_unavailable",
        )


def purchase_start(*, user, kind: str, plan, gateway_code: str) -> Purchase:
    """A pending purchase of `plan` by `user`, to pay with gateway `gateway_code`.

    `kind` is "topup" (a TopUpPlan) or "membership" (a MembershipPlan), on
    sale. The plan's name, price and bonus are frozen on the purchase, so a
    later change of the plan does not change what is being paid for. The
    number is "P" + date + six random characters, unique (a clash is retried).
    Raises PurchaseError naming the field ("kind", "plan", "gateway").
    """
    if user is None or not user.is_authenticated:
        raise PurchaseError(_("Log in to buy this."), code="login")
    _plan_check(kind, plan)
    gateway = purchase_gateway(gateway_code)
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return Purchase.objects.create(
                    number=purchase_number_generate(),
                    user=user,
                    kind=kind,
                    topup_plan=plan if kind == PurchaseKind.TOPUP else None,
                    membership_plan=plan if kind == PurchaseKind.MEMBERSHIP else None,
                    description=plan.name[:150],
                    amount=plan.price,
                    bonus=plan.bonus if kind == PurchaseKind.TOPUP else Decimal(0),
                    currency=settings.SHOP_CURRENCY,
                    gateway=gateway.code,
                )
        except IntegrityError:
            continue
    raise PurchaseError(_("The purchase could not be numbered. Please try again."))


def purchase_payment_url(*, purchase: Purchase, request) -> str:
    """Where the shopper pays `purchase` (again, after a failed attempt).

    PurchaseError when it is paid, cancelled or refunded, or its payment
    method no longer takes purchases.
    """
    if purchase.status not in PAYABLE:
        raise PurchaseError(
            _("This purchase is not waiting for payment."), code="not_payable"
        )
    gateway = purchase_gateway(purchase.gateway)
    return redirect_url(gateway=gateway, purchase=purchase, request=request)


def _log(purchase: Purchase, actor, note: str) -> None:
    if actor is not None and getattr(actor, "pk", None):
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[purchase],
            action_flag=CHANGE,
            change_message=note[:500],
            single_object=True,
        )


def _topup_deliver(purchase: Purchase, now) -> None:
    reason = _("Top-up %(number)s") % {"number": purchase.number}
    credit.credit_grant(
        user=purchase.user,
        amount=purchase.amount,
        source=CreditSource.TOPUP,
        idempotency_key=f"topup:{purchase.pk}:paid",
        reason=reason,
        purchase=purchase,
    )
    if purchase.bonus > 0:
        days = purchase.topup_plan.bonus_valid_days if purchase.topup_plan else None
        credit.credit_grant(
            user=purchase.user,
            amount=purchase.bonus,
            source=CreditSource.TOPUP_BONUS,
            idempotency_key=f"topup:{purchase.pk}:bonus",
            reason=_("Bonus of top-up %(number)s") % {"number": purchase.number},
            expires_at=credit.credit_valid_until(now=now, days=days) if days else None,
            purchase=purchase,
        )


def purchase_mark_paid(
    *, purchase: Purchase, transaction_id: str, note: str, actor=None
) -> Purchase:
    """Record `purchase` as paid and deliver it; the purchase as locked.

    A top-up becomes two lots through `credit_grant`: the paid part
    (source "topup", never expires) and the bonus (source "bonus", expiring
    after the plan's `bonus_valid_days` as the plan says when paid; never
    when empty), and the receipt email is queued. A membership purchase
    starts its period (`loyalty.plans.services.paid_membership_activate`).
    A purchase already paid is returned as it is; a cancelled or refunded
    one raises PurchaseError. `actor` is staff recording a payment that
    arrived another way (a bank transfer): `note` is then required and goes
    to the purchase's admin history.
    """
    note = (note or "").strip()
    if actor is not None and not note:
        raise PurchaseError(
            _("Say how the payment arrived."), field="note", code="required"
        )
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Purchase.objects.select_for_update(of=("self",))
            .select_related("user", "topup_plan")
            .get(pk=purchase.pk)
        )
        if locked.status == PurchaseStatus.PAID:
            return locked
        if locked.status not in PAYABLE:
            raise PurchaseError(
                _("Purchase %(number)s is %(status)s and cannot be paid.")
                % {"number": locked.number, "status": locked.get_status_display()},
                code="not_payable",
            )
        locked.status = PurchaseStatus.PAID
        locked.paid_at = now
        locked.transaction_id = (transaction_id or "")[:100]
        locked.save(update_fields=["status", "paid_at", "transaction_id"])
        if locked.kind == PurchaseKind.TOPUP:
            _topup_deliver(locked, now)
            from loyalty.purchases.emails import purchase_receipt_send_later

            purchase_receipt_send_later(purchase=locked)
        else:
            from loyalty.plans.services import paid_membership_activate

            paid_membership_activate(purchase=locked)
        _log(locked, actor, _("Marked paid: %(note)s") % {"note": note})
    return locked


@dataclass(frozen=True)
class NoticeResult:
    notification: PurchaseNotification
    outcome: str  # "paid", "failed" or "already_paid"

    PAID = "paid"
    FAILED = "failed"
    ALREADY_PAID = "already_paid"


def purchase_notification_process(*, gateway, notice: Notification) -> NoticeResult:
    """Apply a verified provider notice about a purchase once, and record it.

    In one transaction with the purchase row locked: a notice id seen before
    is a replay (NotificationRejected "replay"); an amount or currency other
    than the purchase's is refused ("amount_mismatch"); "paid" marks a
    pending or failed purchase paid (`purchase_mark_paid`), and is only
    recorded for one already paid ("already_paid"); "failed" marks a pending
    purchase failed, so the member can pay again. A refusal changes nothing.
    """
    with transaction.atomic():
        purchase = (
            Purchase.objects.select_for_update()
            .filter(number=notice.payment_reference, gateway=gateway.code)
            .first()
        )
        if purchase is None:
            raise NotificationRejected(
                _("Unknown payment reference."), code="unknown_payment"
            )
        if PurchaseNotification.objects.filter(
            gateway=gateway.code, notification_id=notice.notification_id
        ).exists():
            raise NotificationRejected(
                _("This notification has already been processed."), code="replay"
            )
        if notice.amount != purchase.amount or notice.currency != purchase.currency:
            raise NotificationRejected(
                _("The amount does not match the payment."), code="amount_mismatch"
            )
        if purchase.status == PurchaseStatus.PAID:
            outcome = NoticeResult.ALREADY_PAID
        elif notice.status == Notification.PAID:
            if purchase.status not in PAYABLE:
                raise NotificationRejected(
                    _("Purchase %(number)s no longer waits for payment (%(status)s).")
                    % {
                        "number": purchase.number,
                        "status": purchase.get_status_display(),
                    },
                    code="not_payable",
                )
            purchase_mark_paid(
                purchase=purchase,
                transaction_id=notice.transaction_id,
                note=_("Paid with %(gateway)s (notification %(id)s).")
                % {"gateway": gateway.label, "id": notice.notification_id},
            )
            outcome = NoticeResult.PAID
        else:
            if purchase.status == PurchaseStatus.PENDING:
                Purchase.objects.filter(pk=purchase.pk).update(
                    status=PurchaseStatus.FAILED
                )
            outcome = NoticeResult.FAILED
        try:
            with transaction.atomic():
                notification = PurchaseNotification.objects.create(
                    gateway=gateway.code,
                    notification_id=notice.notification_id,
                    purchase=purchase,
                    status=notice.status,
                    amount=notice.amount,
                    payload=notice.payload,
                )
        except IntegrityError as exc:
            raise NotificationRejected(
                _("This notification has already been processed."), code="replay"
            ) from exc
    return NoticeResult(notification=notification, outcome=outcome)


def purchase_refund(
    *, purchase: Purchase, amount: Decimal, actor, note: str
) -> Purchase:
    """Record that `amount` of a paid purchase is paid back; the purchase as locked.

    Once per purchase: the purchase becomes "refunded" with `refunded_amount`
    (all of it or a part), and nothing more can be refunded or delivered on
    it. The money itself goes back through the provider or the bank by
    hand; the back office shows how much to return and where. What was
    delivered is the caller's to take back (a top-up's credit:
    `topup_refund`; a paid period: the plans app). `note` (why, and how the
    money goes back) is written to the purchase's admin history with `actor`.
    """
    amount = Decimal(amount)
    if amount <= 0 or money_round(amount, purchase.currency) != amount:
        raise PurchaseError(_("Enter an amount greater than 0."), field="amount")
    now = timezone.now()
    with transaction.atomic():
        locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.status != PurchaseStatus.PAID:
            raise PurchaseError(
                _("Only a paid purchase can be refunded; %(number)s is %(status)s.")
                % {"number": locked.number, "status": locked.get_status_display()},
                code="not_refundable",
            )
        if amount > locked.amount - locked.refunded_amount:
            raise PurchaseError(
                _("At most %(amount)s can be refunded.")
                % {
                    "amount": format_money(
                        locked.amount - locked.refunded_amount, locked.currency
                    )
                },
                field="amount",
            )
        locked.refunded_amount += amount
        locked.status = PurchaseStatus.REFUNDED
        locked.refunded_at = now
        locked.save(update_fields=["refunded_amount", "status", "refunded_at"])
        _log(
            locked,
            actor,
            _("Refunded %(amount)s: %(note)s")
            % {"amount": format_money(amount, locked.currency), "note": note},
        )
    return locked


def topup_refund(*, purchase: Purchase, actor) -> Decimal:
    """Refund what is unspent of a paid top-up; the amount to pay back.

    Only the paid part's unspent credit is refunded: the paid lot's
    `remaining` is withdrawn and that amount is what goes back to the
    customer. The bonus is forfeited when the paid part is refunded: what
    is left of the bonus lot is withdrawn too (and credit an order took from
    it is not given back if that order is cancelled later). WITHDRAW rows for
    both, then `purchase_refund` records the refund. PurchaseError when the
    purchase is not a paid top-up or its paid part has been spent entirely
    (nothing changes then).
    """
    with transaction.atomic():
        locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.kind != PurchaseKind.TOPUP:
            raise PurchaseError(_("This purchase is not a top-up."), code="not_topup")
        if locked.status != PurchaseStatus.PAID:
            raise PurchaseError(
                _("Only a paid top-up can be refunded; %(number)s is %(status)s.")
                % {"number": locked.number, "status": locked.get_status_display()},
                code="not_refundable",
            )
        try:
            withdrawn = credit.credit_withdraw_purchase(
                purchase=locked,
                actor=actor,
                reason=_("Top-up %(number)s refunded") % {"number": locked.number},
            )
        except CreditError as error:
            raise PurchaseError(error.message) from error
        paid = withdrawn.get(CreditSource.TOPUP, Decimal(0))
        if paid <= 0:
            raise PurchaseError(
                _("Nothing to refund: the paid part of %(number)s has been spent.")
                % {"number": locked.number},
                code="nothing_to_refund",
            )
        bonus = withdrawn.get(CreditSource.TOPUP_BONUS, Decimal(0))
        note = _(
            "Unspent top-up credit withdrawn; pay %(amount)s back to the customer "
            "through %(gateway)s (provider reference %(reference)s). Bonus "
            "forfeited: %(bonus)s."
        ) % {
            "amount": format_money(paid, locked.currency),
            "gateway": locked.gateway,
            "reference": locked.transaction_id or "—",
            "bonus": format_money(bonus, locked.currency),
        }
        purchase_refund(purchase=locked, amount=paid, actor=actor, note=note)
    return paid
