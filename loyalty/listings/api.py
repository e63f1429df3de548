"""The member-only section over the API: `GET /api/loyalty/members-only/`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny

from loyalty.listings.selectors import members_only_products
from shop.catalog.selectors import product_cards
from shop.catalog.serializers import ProductCardSerializer
from shop.core.shopper import shopper_for_request


class MembersOnlyListApi(GenericAPIView):
    """Member-only products the caller may see and buy now, newest first."""

    permission_classes = [AllowAny]
    filter_backends = []

    @extend_schema(
        operation_id="loyalty_members_only_list",
        summary="Member-only products",
        description=(
            "Products under a member-only listing rule that this shopper may see "
            "and buy now (their tier, paid membership or private links), priced "
            "for them. Empty for a guest without a private link."
        ),
        responses={200: ProductCardSerializer(many=True)},
        tags=["loyalty"],
    )
    def get(self, request):
        shopper = shopper_for_request(request)
        page = self.paginate_queryset(members_only_products(shopper=shopper))
        cards = product_cards(page, shopper=shopper)
        data = ProductCardSerializer(
            cards, many=True, context={"request": request}
        ).data
        return self.get_paginated_response(data)
