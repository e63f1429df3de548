"""Cart API: the requester's cart (session for guests, database for members)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.cart import services
from shop.cart.selectors import cart_summary
from shop.cart.serializers import (
    CartLineCreateSerializer,
    CartLineUpdateSerializer,
    CartSerializer,
)
from shop.cart.storage import CartRef
from shop.checkout.selectors import shipping_method_named

SHIPPING_PARAMETER = OpenApiParameter(
    name="shipping",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.QUERY,
    required=False,
    description="A shipping method code, to include its fee in the quote.",
)


def _cart_response(request, code=status.HTTP_200_OK, shipping_code: str = ""):
    method = shipping_method_named(code=shipping_code, field="shipping")
    summary = cart_summary(
        shopper=request.shopper,
        cart=CartRef.for_request(request),
        shipping_method=method,
    )
    data = {
        "lines": summary.lines,
        "item_count": summary.item_count,
        "can_check_out": summary.can_check_out,
        "quote": summary.quote,
    }
    return Response(
        CartSerializer(data, context={"request": request}).data, status=code
    )


class CartApi(APIView):
    """The requester's cart with live prices; DELETE empties it."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="cart_retrieve",
        parameters=[SHIPPING_PARAMETER],
        responses={200: CartSerializer},
        tags=["cart"],
    )
    def get(self, request):
        return _cart_response(
            request, shipping_code=request.query_params.get("shipping", "")
        )

    @extend_schema(
        operation_id="cart_clear",
        responses={204: OpenApiResponse(description="The cart is empty.")},
        tags=["cart"],
    )
    def delete(self, request):
        services.cart_clear(cart=CartRef.for_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CartLinesApi(APIView):
    """Add a variant to the cart (quantities add up)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="cart_lines_create",
        request=CartLineCreateSerializer,
        responses={201: CartSerializer},
        tags=["cart"],
    )
    def post(self, request):
        serializer = CartLineCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cart_add(
            shopper=request.shopper,
            cart=CartRef.for_request(request),
            variant_id=serializer.validated_data["variant"],
            quantity=serializer.validated_data["quantity"],
        )
        return _cart_response(request, status.HTTP_201_CREATED)


class CartLineApi(APIView):
    """Change or remove one line, named by its variant id."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="cart_lines_partial_update",
        request=CartLineUpdateSerializer,
        responses={200: CartSerializer},
        tags=["cart"],
    )
    def patch(self, request, variant_id: int):
        serializer = CartLineUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cart_set_quantity(
            shopper=request.shopper,
            cart=CartRef.for_request(request),
            variant_id=variant_id,
            quantity=serializer.validated_data["quantity"],
        )
        return _cart_response(request)

    @extend_schema(
        operation_id="cart_lines_destroy",
        responses={204: OpenApiResponse(description="The line is gone.")},
        tags=["cart"],
    )
    def delete(self, request, variant_id: int):
        services.cart_remove(cart=CartRef.for_request(request), variant_id=variant_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
