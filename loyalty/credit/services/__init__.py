"""The shopping-credit ledger: granting, spending, giving back, expiring, adjusting.

Currency amounts (Decimal) in append-only CreditEntry rows, each with a
unique idempotency key; credit sits in CreditLots (a top-up's paid part and
its bonus are two), and every amount taken from a lot is a CreditDraw, so a
cancelled order or a return gives back to the same lots. Every change locks
the member first (`membership_lock`), then lots by pk, and moves the cached
`Membership.credit_balance` with `F()` in the same transaction, so
`credit_reconcile` finds nothing. Callers use the package:
`from loyalty.credit import services as credit; credit.credit_grant(…)`.
"""

from loyalty.credit.services.expiry import credit_expire_due
from loyalty.credit.services.grants import (
    credit_adjust,
    credit_grant,
    credit_withdraw_purchase,
)
from loyalty.credit.services.ledger import (
    CREDIT_CODE,
    credit_amount_clean,
    credit_valid_until,
    restored_lot_expiry,
    spend_key,
)
from loyalty.credit.services.orders import (
    credit_restore_for_order,
    credit_spend_for_order,
    order_credit_amount,
)
from loyalty.credit.services.reconcile import credit_reconcile

__all__ = [
    "CREDIT_CODE",
    "credit_adjust",
    "credit_amount_clean",
    "credit_expire_due",
    "credit_grant",
    "credit_reconcile",
    "credit_restore_for_order",
    "credit_spend_for_order",
    "credit_valid_until",
    "credit_withdraw_purchase",
    "order_credit_amount",
    "restored_lot_expiry",
    "spend_key",
]
