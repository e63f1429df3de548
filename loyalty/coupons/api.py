"""Coupons over the API: the member's vouchers, and applying a coupon.

The API keeps no checkout state: a coupon is applied by sending it as
`options.coupon` to the checkout quote and order endpoints, and removed by
leaving it out. `coupons/apply/` is the step before: it checks a code (or a
voucher) against the items or the cart and answers with the quote priced
with it, or a 400 naming `coupon` with the reason, so an app can show
"SUMMER10: NT$100 off" before going on.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.coupons.adjusters import quote_coupon
from loyalty.coupons.selectors import COUPON_CODE, member_coupons
from loyalty.coupons.serializers import (
    VOUCHER_STATES,
    CouponAppliedSerializer,
    CouponApplySerializer,
    VoucherSerializer,
)
from shop.cart import storage
from shop.cart.storage import CartRef
from shop.checkout.selectors import shipping_method_named
from shop.checkout.services import quote_for_items
from shop.core.api import paginated_response
from shop.core.money import Money

STATES = [value for value, _label in VOUCHER_STATES]


class MyCouponListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    @extend_schema(
        operation_id="loyalty_coupons_list",
        summary="My coupons",
        description=(
            "The signed-in member's vouchers: usable ones first, soonest to "
            "expire first, then used and expired ones, newest first. Each has "
            "the `option` to send as `options.coupon` at checkout. An unknown "
            "`state` is a 400 naming the parameter."
        ),
        parameters=[
            OpenApiParameter(
                "state",
                {"type": "string", "enum": STATES},
                description="Only vouchers in this state.",
            )
        ],
        responses={200: VoucherSerializer(many=True)},
        tags=["loyalty"],
    )
    def get(self, request):
        now = timezone.now()
        state = request.query_params.get("state", "")
        if state and state not in STATES:
            raise ValidationError(
                {
                    "state": [
                        _("Choose one of: %(states)s.") % {"states": ", ".join(STATES)}
                    ]
                }
            )
        vouchers: QuerySet = member_coupons(request.user, include_used=True, now=now)
        if state:
            vouchers = vouchers.filter(state=state)
        return paginated_response(
            view=self,
            queryset=vouchers,
            serializer_class=VoucherSerializer,
            context={"request": request, "now": now},
        )


class CouponApplyApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="loyalty_coupons_apply",
        summary="Apply a coupon",
        description=(
            "Checks a coupon code, or a voucher of the signed-in member's "
            'wallet ("v:<id>"), against `items` (or the cart) and answers with '
            "the quote priced with it. Nothing is stored: send the returned "
            "`coupon.option` as `options.coupon` to the checkout quote and "
            "order endpoints; leave it out to remove the coupon. A coupon that "
            "does not apply is a 400 on `coupon` with the reason (e.g. the "
            "minimum spend, the tier, used up, not with points)."
        ),
        request=CouponApplySerializer,
        responses={
            200: CouponAppliedSerializer,
            400: OpenApiResponse(description="Field-level errors, e.g. `coupon`."),
        },
        tags=["loyalty"],
    )
    def post(self, request):
        serializer = CouponApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        method = shipping_method_named(
            code=data.get("shipping_method") or "", field="shipping_method"
        )
        if data.get("items"):
            items: dict[int, int] = {}
            for item in data["items"]:
                items[item["variant"]] = (
                    items.get(item["variant"], 0) + item["quantity"]
                )
        else:
            items = storage.stored_items(CartRef.for_request(request))
        quote = quote_for_items(
            shopper=request.shopper,
            items=items,
            shipping_method=method,
            options=serializer.chosen_options(),
        )
        offer = next(o for o in quote.offers if o.key == COUPON_CODE)
        adjustment = quote_coupon(quote)
        body = {
            "coupon": offer.context,
            "discount": Money(-adjustment.amount.amount, quote.currency),
            "quote": quote,
        }
        return Response(CouponAppliedSerializer(body).data)
