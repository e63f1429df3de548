"""The returns back office; importing the package registers every admin.

- `queue`: the returns queue (filters, search, bulk approve and close) and a
  request's page, with the move pages of `pages` behind its buttons;
- `ledgers`: the return policy (one row), the refunds and the serial
  returners, read-only;
- `staff`: the moves staff may make and the reads beside a request, shared
  with the staff API (`returns.api_staff`).
"""

from returns.admin.ledgers import RefundAdmin, ReturnPolicyAdmin, SerialReturnerAdmin
from returns.admin.queue import ReturnRequestAdmin
from returns.views_analytics import analytics_admin_install

__all__ = [
    "RefundAdmin",
    "ReturnPolicyAdmin",
    "ReturnRequestAdmin",
    "SerialReturnerAdmin",
]

# The return analytics dashboard, /admin/returns/analytics/ (returns.views_analytics).
analytics_admin_install()
