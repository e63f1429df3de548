"""The shopping-credit card of the member area's dashboard."""

from __future__ import annotations

from django.http import HttpRequest


def credit_card(request: HttpRequest) -> dict | None:
    """The member's usable credit and its next expiry; None (no card) without any
    credit and with no top-up on sale. One query."""
    # Imported here: registered from AppConfig.ready(), before models are used.
    from loyalty.credit.selectors import credit_summary, topup_plans_on_sale

    # The shopper context has read the membership for the request already.
    membership = getattr(getattr(request, "shopper", None), "membership", None)
    if membership is None or membership.credit_balance <= 0:
        if not topup_plans_on_sale().exists():
            return None
        membership = None
    summary = credit_summary(membership=membership)
    return {"summary": summary, "next_expiry": next(iter(summary.expiries), None)}
