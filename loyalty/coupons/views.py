"""The member area's "My coupons" page: a thin door over the selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from loyalty.coupons.selectors import USABLE, member_coupons
from loyalty.coupons.texts import (
    coupon_benefit,
    coupon_terms,
    expires_soon,
    expiry_text,
)
from loyalty.models import MemberCoupon
from loyalty.paging import page_get, page_links

PAGE_SIZE = 20


@dataclass(frozen=True)
class VoucherView:
    """A voucher as the page shows it."""

    voucher: MemberCoupon
    benefit: str
    terms: list[str]
    expiry: str
    expires_soon: bool


def voucher_view(voucher: MemberCoupon, *, now) -> VoucherView:
    return VoucherView(
        voucher=voucher,
        benefit=coupon_benefit(voucher.coupon),
        terms=coupon_terms(voucher.coupon),
        expiry=expiry_text(voucher, now=now),
        expires_soon=expires_soon(voucher, now=now),
    )


@require_safe
@login_required
def my_coupons(request):
    """Usable vouchers first, soonest to expire first; used and expired below."""
    now = timezone.now()
    page = page_get(
        request, member_coupons(request.user, include_used=True, now=now), PAGE_SIZE
    )
    rows = [voucher_view(voucher, now=now) for voucher in page.object_list]
    context = {
        "usable": [row for row in rows if row.voucher.state == USABLE],
        "past": [row for row in rows if row.voucher.state != USABLE],
        **page_links(page),
    }
    return render(request, "loyalty/coupons/my_coupons.html", context)
