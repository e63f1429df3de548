"""A member's orders over the API: the list and one order.

Orders are looked up among the requesting member's own, so another member's
order number is a 404, never a 403 that would reveal it exists.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.core.api import paginated_response
from shop.orders import selectors
from shop.orders.models import Order
from shop.orders.serializers import OrderDetailSerializer, OrderListSerializer


class MyOrderListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = []

    @extend_schema(
        operation_id="me_orders_list",
        summary="My orders",
        description="The signed-in member's orders, newest first.",
        responses={200: OrderListSerializer(many=True)},
        tags=["orders"],
    )
    def get(self, request):
        return paginated_response(
            view=self,
            queryset=selectors.orders_for_user(user=request.user),
            serializer_class=OrderListSerializer,
            context={"request": request},
        )


class MyOrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_orders_retrieve",
        summary="One of my orders",
        description=(
            "Lines (with each line's share of order discounts), adjustments, "
            "shipping, payment and the status timeline. Another member's order "
            "is a 404."
        ),
        responses={200: OrderDetailSerializer},
        tags=["orders"],
    )
    def get(self, request, number: str):
        try:
            order = selectors.order_for_member(user=request.user, number=number)
        except Order.DoesNotExist as exc:
            raise NotFound(_("No such order.")) from exc
        data = {
            "order": order,
            "summary": selectors.order_summary(order=order),
            "timeline": selectors.order_timeline(order=order),
        }
        return Response(OrderDetailSerializer(data, context={"request": request}).data)
