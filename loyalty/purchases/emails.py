"""The receipt of a paid top-up, emailed after the payment's commit.

Built like the member emails of `loyalty.notifications` (the member's
language, text and HTML on the shared email layout), from the purchase row
when the task runs, so the broker carries only its id.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from loyalty.models import CreditLot, CreditSource, Purchase, PurchaseStatus
from loyalty.notifications import (
    email_render,
    email_send_later,
    member_email_values,
    member_language,
)
from loyalty.services.points import last_valid_day
from shop.core.money import Money


def purchase_receipt_send_later(*, purchase: Purchase) -> None:
    """Queue the receipt of `purchase` for when the transaction commits."""
    from loyalty.tasks.credit import send_purchase_receipt

    email_send_later(send_purchase_receipt, purchase.pk)


def purchase_receipt_build(*, purchase_id: int) -> EmailMultiAlternatives | None:
    """The receipt email of a paid top-up, or None (not paid, nobody to mail)."""
    purchase = (
        Purchase.objects.select_related("user")
        .filter(pk=purchase_id, status=PurchaseStatus.PAID)
        .first()
    )
    user = purchase.user if purchase is not None else None
    if user is None or not user.is_active or not user.email:
        return None
    bonus_lot = (
        CreditLot.objects.filter(purchase=purchase, source=CreditSource.TOPUP_BONUS)
        .order_by("pk")
        .first()
    )
    with translation.override(member_language(user=user)):
        values = member_email_values(
            user=user,
            account_path=reverse("loyalty:credit"),
            purchase=purchase,
            amount=Money(purchase.amount, purchase.currency),
            bonus=Money(purchase.bonus, purchase.currency),
            total=Money(purchase.amount + purchase.bonus, purchase.currency),
            bonus_last_day=last_valid_day(bonus_lot.expires_at)
            if bonus_lot and bonus_lot.expires_at
            else None,
        )
        subject = _("[%(shop)s] Receipt for your top-up %(number)s") % {
            "shop": values["shop_name"],
            "number": purchase.number,
        }
        return email_render(
            to=user.email,
            subject=subject,
            template="loyalty/purchases/email/receipt",
            values=values,
        )
