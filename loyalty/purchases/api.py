"""Purchases over the API: my purchases, and the providers' signed notices."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from loyalty.errors import PurchaseError
from loyalty.purchases.gateways import purchase_gateway, purchase_gateways
from loyalty.purchases.selectors import purchases_of
from loyalty.purchases.serializers import NoticeResultSerializer, PurchaseSerializer
from loyalty.purchases.services import (
    NoticeResult,
    purchase_notification_process,
    purchase_payment_url,
    purchase_start,
)
from shop.checkout.api import ProviderNoticeApi, provider_notice_schema
from shop.core.api import paginated_response


def purchase_started_response(
    request, *, kind: str, plan, gateway: str, serializer_class
) -> Response:
    """Start the member's purchase of `plan` and answer 201 with where to pay it.

    `gateway` empty: the first payment method that takes purchases. The body
    is {"purchase", "payment_url"} through `serializer_class`; PurchaseError
    when the purchase cannot start.
    """
    purchase = purchase_start(
        user=request.user,
        kind=kind,
        plan=plan,
        gateway_code=gateway or next(iter(purchase_gateways()), ""),
    )
    url = purchase_payment_url(purchase=purchase, request=request._request)
    body = {"purchase": purchase, "payment_url": request.build_absolute_uri(url)}
    return Response(serializer_class(body).data, status=status.HTTP_201_CREATED)


class MyPurchaseListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = []

    @extend_schema(
        operation_id="loyalty_purchases_list",
        summary="My top-ups and membership purchases",
        description="The signed-in member's purchases, newest first, with status.",
        responses={200: PurchaseSerializer(many=True)},
        tags=["loyalty"],
    )
    def get(self, request):
        return paginated_response(
            view=self,
            queryset=purchases_of(user=request.user),
            serializer_class=PurchaseSerializer,
        )


@extend_schema_view(
    post=provider_notice_schema(
        operation_id="loyalty_purchase_notify", result=NoticeResultSerializer
    )
)
class PurchaseNotifyApi(ProviderNoticeApi):
    """A hosted payment provider's signed notice about a purchase (server to server).

    Verified by the gateway (signature, age) like an order's notice; the
    reference is the purchase number. 400 for a bad signature, a stale
    timestamp, a replayed notice id, an unknown purchase or an amount that
    does not match: nothing changes then. 200 `{"status": "already_paid"}`
    for a "paid" notice about a purchase already paid.
    """

    def gateway_get(self, code: str):
        try:
            return purchase_gateway(code)
        except PurchaseError as error:
            raise Http404(error.message) from error

    def notice_process(self, request, gateway) -> str:
        notice = gateway.verify_payload(
            body=request._request.body, headers=request._request.headers
        )
        return purchase_notification_process(gateway=gateway, notice=notice).outcome

    def outcome_details(self) -> dict[str, str]:
        return {
            NoticeResult.PAID: _("Payment recorded."),
            NoticeResult.FAILED: _("Failed payment recorded."),
            NoticeResult.ALREADY_PAID: _(
                "The purchase was already paid; nothing changed."
            ),
        }
