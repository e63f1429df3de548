"""The staff API of returns, mounted at /api/returns/staff/.

The queue (filters of `returns.selectors.staff_queue`, paginated), a request,
and one POST per move (approve, reject, receive, inspect, refund, bank
transfer paid, exchange, close) and for notes, plus the refund preview. Each
move is one service call; a refusal (`ReturnError`) is a 400 naming the
field. Every endpoint needs active staff holding its Django permission (see
`returns.admin.staff`): signed out is a 401, a shopper a 403.
"""

from __future__ import annotations

from django.urls import path

from returns.api_staff.moves import (
    StaffApproveApi,
    StaffCloseApi,
    StaffExchangeApi,
    StaffInspectApi,
    StaffNoteApi,
    StaffReceiveApi,
    StaffRefundApi,
    StaffRejectApi,
    StaffTransferPaidApi,
)
from returns.api_staff.reads import (
    StaffQueueApi,
    StaffRefundPreviewApi,
    StaffReturnApi,
)

urlpatterns = [
    path("", StaffQueueApi.as_view(), name="api-staff-returns"),
    path("<str:number>/", StaffReturnApi.as_view(), name="api-staff-return"),
    *(
        path(f"<str:number>/{name}/", view.as_view(), name=f"api-staff-return-{name}")
        for name, view in (
            ("approve", StaffApproveApi),
            ("reject", StaffRejectApi),
            ("receive", StaffReceiveApi),
            ("inspect", StaffInspectApi),
            ("refund-preview", StaffRefundPreviewApi),
            ("refund", StaffRefundApi),
            ("transfer-paid", StaffTransferPaidApi),
            ("exchange", StaffExchangeApi),
            ("close", StaffCloseApi),
            ("notes", StaffNoteApi),
        )
    ),
]
