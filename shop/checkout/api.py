"""Checkout API: quotes, placing orders, shipping and payment methods, provider notices.

Guests may use it (session cookie for the cart); members authenticate with a
token or their session. Domain errors come back as field-level 400s.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.accounts.selectors import address_list
from shop.cart import storage
from shop.cart.storage import CartRef
from shop.checkout.details import (
    contact_validate,
    idempotency_key_validate,
    shipping_address_values,
    shipping_validate,
)
from shop.checkout.errors import NotificationRejected, PaymentError
from shop.checkout.models import PaymentNotification
from shop.checkout.payments import payment_gateway, payment_gateways
from shop.checkout.payments.services import payment_notification_process
from shop.checkout.selectors import (
    shipping_method_get,
    shipping_method_named,
    shipping_methods_active,
)
from shop.checkout.serializers import (
    NotificationResultSerializer,
    OrderCreateSerializer,
    OrderPlacedSerializer,
    PaymentMethodSerializer,
    QuoteRequestSerializer,
    QuoteSerializer,
    ShippingMethodSerializer,
)
from shop.checkout.services import order_place, quote_for_items
from shop.core.api import paginated_response
from shop.orders.models import Order, Payment
from shop.orders.status import PaymentStatus

IDEMPOTENCY_HEADER = OpenApiParameter(
    name="Idempotency-Key",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="16–64 letters, digits, - or _; sent again, the same order returns.",
)


def _items_of(validated, request) -> tuple[dict[int, int], CartRef | None]:
    """Items from the body, or the requester's cart (which the order then empties)."""
    if validated.get("items"):
        items: dict[int, int] = {}
        for item in validated["items"]:
            items[item["variant"]] = items.get(item["variant"], 0) + item["quantity"]
        return items, None
    cart = CartRef.for_request(request)
    return storage.stored_items(cart), cart


class QuoteApi(APIView):
    """Price items (or the cart) for a shipping method, exactly as checkout will."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="checkout_quote",
        request=QuoteRequestSerializer,
        responses={200: QuoteSerializer},
        tags=["checkout"],
    )
    def post(self, request):
        serializer = QuoteRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        method = shipping_method_named(
            code=serializer.validated_data.get("shipping_method") or "",
            field="shipping_method",
        )
        items, _cart = _items_of(serializer.validated_data, request)
        quote = quote_for_items(
            shopper=request.shopper,
            items=items,
            shipping_method=method,
            options=serializer.chosen_options(),
        )
        return Response(QuoteSerializer(quote).data)


def _payment_next(order: Order, payment: Payment | None, request) -> dict:
    result = {
        "method": order.payment_method,
        "status": payment.status if payment else "",
        "redirect_url": "",
        "message": "",
        "instructions": [],
    }
    if payment is None or payment.status != PaymentStatus.PENDING:
        return result
    try:
        gateway = payment_gateway(order.payment_method)
    except PaymentError:
        return result
    start = gateway.start(order, payment, request)
    result.update(
        redirect_url=request.build_absolute_uri(start.redirect_url)
        if start.redirect_url
        else "",
        message=start.message,
        instructions=[
            {"label": str(k), "value": str(v)} for k, v in start.instructions
        ],
    )
    return result


class OrderCreateApi(APIView):
    """Place an order: 201 with the order, or 200 with the same one for a used key."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="checkout_order_create",
        request=OrderCreateSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: OrderPlacedSerializer, 200: OrderPlacedSerializer},
        tags=["checkout"],
    )
    def post(self, request):
        serializer = OrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = idempotency_key_validate(
            request.headers.get("Idempotency-Key") or data.get("idempotency_key", "")
        )
        user = request.user if request.user.is_authenticated else None
        # A repeated key needs no check here: order_place returns the first
        # order before it looks at anything else.
        contact = contact_validate(
            email=user.email if user else data.get("email", ""),
            name=data.get("name") or (user.name if user else ""),
            phone=data.get("phone") or (user.phone if user else ""),
        )
        method = shipping_method_get(code=data["shipping_method"])
        address_values = {
            field: data.get(field, "")
            for field in (
                "recipient_name",
                "recipient_phone",
                "postal_code",
                "city",
                "district",
                "street",
                "store_code",
                "store_name",
            )
        }
        if data.get("address_id"):
            address = (
                address_list(user=user).filter(pk=data["address_id"]).first()
                if user
                else None
            )
            if address is None:
                raise ValidationError(
                    {"address_id": [_("Choose an address of your book.")]}
                )
            address_values.update(shipping_address_values(address))
        shipping = shipping_validate(method=method, contact=contact, **address_values)
        items, cart = _items_of(data, request)
        order = order_place(
            shopper=request.shopper,
            items=items,
            contact=contact,
            shipping=shipping,
            payment_method=data["payment_method"],
            idempotency_key=key,
            cart=cart,
            customer_note=data.get("customer_note", ""),
            options=serializer.chosen_options(),
        )
        code = status.HTTP_201_CREATED if order.placed_just_now else status.HTTP_200_OK
        return self._respond(order, request, code)

    def _respond(self, order, request, code):
        if getattr(order, "placed_lines", None) is not None:
            lines, adjustments = order.placed_lines, order.placed_adjustments
            payment = order.placed_payment
        else:
            lines, adjustments = list(order.lines.all()), list(order.adjustments.all())
            payment = order.payments.order_by("-created_at", "-id").first()
        context = {
            "request": request,
            "lines": lines,
            "adjustments": adjustments,
            "payment_next": _payment_next(order, payment, request),
        }
        return Response(OrderPlacedSerializer(order, context=context).data, status=code)


class ShippingMethodListApi(GenericAPIView):
    """Shipping methods offered at checkout, in display order."""

    permission_classes = [AllowAny]
    serializer_class = ShippingMethodSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="shipping_methods_list",
        responses={200: ShippingMethodSerializer(many=True)},
        tags=["checkout"],
    )
    def get(self, request):
        return paginated_response(
            view=self,
            queryset=shipping_methods_active(),
            serializer_class=self.serializer_class,
        )


class PaymentMethodListApi(GenericAPIView):
    """Payment methods offered at checkout, in display order."""

    permission_classes = [AllowAny]
    serializer_class = PaymentMethodSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="payment_methods_list",
        responses={200: PaymentMethodSerializer(many=True)},
        tags=["checkout"],
    )
    def get(self, request):
        return paginated_response(
            view=self,
            queryset=list(payment_gateways().values()),
            serializer_class=self.serializer_class,
        )


def provider_notice_schema(*, operation_id: str, result):
    """The OpenAPI description of a `ProviderNoticeApi`'s POST."""
    return extend_schema(
        operation_id=operation_id,
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: result,
            400: OpenApiResponse(description="Rejected; nothing changed."),
            404: OpenApiResponse(description="No such gateway."),
        },
        auth=[],
        tags=["payments"],
    )


class ProviderNoticeApi(APIView):
    """A hosted payment provider's signed notice (server to server): the base.

    A view finds the URL's gateway (`gateway_get`, Http404 when there is
    none), verifies and applies the notice (`notice_process`, the outcome;
    NotificationRejected is answered 400 and nothing changes) and says what
    each outcome means (`outcome_details`). Describe its POST with
    `extend_schema_view(post=provider_notice_schema(...))`.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    def gateway_get(self, code: str):
        raise NotImplementedError

    def notice_process(self, request, gateway) -> str:
        raise NotImplementedError

    def outcome_details(self) -> dict[str, str]:
        raise NotImplementedError

    def post(self, request, gateway: str):
        chosen = self.gateway_get(gateway)
        try:
            outcome = self.notice_process(request, chosen)
        except NotificationRejected as error:
            return Response(
                {"detail": error.message, "code": error.code},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"status": outcome, "detail": self.outcome_details()[outcome]})


@extend_schema_view(
    post=provider_notice_schema(
        operation_id="payment_notify", result=NotificationResultSerializer
    )
)
class PaymentNotifyApi(ProviderNoticeApi):
    """A hosted payment provider's signed notice (server to server).

    400 for a bad signature, a stale timestamp, a replayed notice id, an
    unknown payment or an amount that does not match: nothing changes then.
    200 `{"status": "already_paid"}` for a "paid" notice about an order that is
    already paid: no second payment is recorded.
    """

    def gateway_get(self, code: str):
        try:
            chosen = payment_gateway(code)
        except PaymentError as error:
            raise Http404(error.message) from error
        if not getattr(chosen, "receives_notifications", False):
            raise Http404(_("This payment method does not take notifications."))
        return chosen

    def notice_process(self, request, gateway) -> str:
        notice = gateway.verify_notification(request._request)
        return payment_notification_process(gateway=gateway, notice=notice).outcome

    def outcome_details(self) -> dict[str, str]:
        outcome = PaymentNotification.Outcome
        return {
            outcome.PAID: _("Payment recorded."),
            outcome.FAILED: _("Failed payment recorded."),
            outcome.ALREADY_PAID: _("The order was already paid; nothing changed."),
        }
