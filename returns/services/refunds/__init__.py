"""Refunds, exactly: what each unit cost and how it was paid, the preview staff
confirm, and the refund itself (rows first, then the payment provider).

`units`: each unit's value and its points, credit and cash parts;
`preview`: which units are refunded and every figure of the refund;
`issue`: writing the refund with its loyalty effects, idempotently;
`payments`: the provider's refund and the bank transfers staff pay.
"""

from returns.services.refunds.issue import refund_issue, refund_key
from returns.services.refunds.payments import (
    bank_account_full,
    bank_account_masked,
    provider_refund,
    refund_transfer_paid,
)
from returns.services.refunds.preview import (
    PreviewLine,
    RefundPreview,
    refund_preview,
    unit_refundable,
)
from returns.services.refunds.units import (
    OrderUnits,
    ShippingPaid,
    UnitValue,
    order_units,
)

__all__ = [
    "OrderUnits",
    "PreviewLine",
    "RefundPreview",
    "ShippingPaid",
    "UnitValue",
    "bank_account_full",
    "bank_account_masked",
    "order_units",
    "provider_refund",
    "refund_issue",
    "refund_key",
    "refund_preview",
    "refund_transfer_paid",
    "unit_refundable",
]
