"""The returns app's tables: policy, requests with their units, refunds."""

from returns.models.policy import (
    OrderReturnPolicy,
    ReturnPolicy,
    ReversedPointsRule,
    ShippingRefundRule,
)
from returns.models.refunds import Refund, RefundStatus, RefundUnit
from returns.models.requests import (
    ExchangeReservation,
    Resolution,
    ReturnEvent,
    ReturnLine,
    ReturnMethod,
    ReturnNote,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnUnit,
    SerialReturner,
    UnitCondition,
)
from returns.status import ReturnStatus

__all__ = [
    "ExchangeReservation",
    "OrderReturnPolicy",
    "Refund",
    "RefundStatus",
    "RefundUnit",
    "Resolution",
    "ReturnEvent",
    "ReturnLine",
    "ReturnMethod",
    "ReturnNote",
    "ReturnPhoto",
    "ReturnPolicy",
    "ReturnReason",
    "ReturnRequest",
    "ReturnStatus",
    "ReturnUnit",
    "ReversedPointsRule",
    "SerialReturner",
    "ShippingRefundRule",
    "UnitCondition",
]
