"""The returns core's services (writes), one import away.

`policy`: the policy snapshot; `windows`: what may be returned until when;
`requests`: asking for a return; `lifecycle`: the status machine and the
staff's decisions; `units`: receipt, inspection and exchanges. The money
(refund preview and issue) lives in `returns.services.refunds`.
"""

from returns.services.lifecycle import (
    reservations_release,
    return_note_add,
    return_request_approve,
    return_request_cancel,
    return_request_close,
    return_request_expire,
    return_request_mark_shipped,
    return_request_reject,
    return_requests_expire,
    return_status_change,
)
from returns.services.policy import order_return_policy_snapshot, return_policy_update
from returns.services.requests import (
    BankAccount,
    ReturnLineInput,
    return_request_create,
)
from returns.services.units import (
    exchange_fulfil,
    return_units_inspect,
    return_units_receive,
)
from returns.services.windows import FAULT_REASONS, LineWindow, line_return_windows

__all__ = [
    "FAULT_REASONS",
    "BankAccount",
    "LineWindow",
    "ReturnLineInput",
    "exchange_fulfil",
    "line_return_windows",
    "order_return_policy_snapshot",
    "reservations_release",
    "return_note_add",
    "return_policy_update",
    "return_request_approve",
    "return_request_cancel",
    "return_request_close",
    "return_request_create",
    "return_request_expire",
    "return_request_mark_shipped",
    "return_request_reject",
    "return_requests_expire",
    "return_status_change",
    "return_units_inspect",
    "return_units_receive",
]
