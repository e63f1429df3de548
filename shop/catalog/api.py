"""The catalogue API: categories, the product list and product detail.

Thin doors over `shop.catalog.selectors`, like the storefront pages: the same
filters, search and sorting, and the shopper context of the request (a token
user gets their member prices and hidden listings, as on the site).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.catalog import selectors
from shop.catalog.models import Product
from shop.catalog.serializers import (
    CategorySerializer,
    ProductCardSerializer,
    ProductDetailSerializer,
    ProductListQuerySerializer,
)
from shop.core.api import form_errors
from shop.core.shopper import shopper_for_request

# ProductFilter's parameters, described by hand: the filterset's own fields
# (price bounds on an annotation, repeatable slug lists) do not map onto the
# Product model the way drf-spectacular's django-filter extension expects.
PRODUCT_FILTER_PARAMETERS = [
    OpenApiParameter(
        "price_min",
        {"type": "number", "minimum": 0},
        description="Lowest price (inclusive) of the cheapest variant on sale.",
    ),
    OpenApiParameter(
        "price_max",
        {"type": "number", "minimum": 0},
        description="Highest price (inclusive) of the cheapest variant on sale.",
    ),
    OpenApiParameter(
        "in_stock",
        OpenApiTypes.BOOL,
        description="true keeps products with a variant in stock; false does not "
        "filter.",
    ),
    OpenApiParameter(
        "attr",
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description="Repeatable attribute:value, e.g. attr=roast:medium. Values of "
        "one attribute are alternatives; different attributes must all match.",
    ),
    OpenApiParameter(
        "brand",
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description="Repeatable brand slug; any of them.",
    ),
]


def _flatten(nodes, into):
    for node in nodes:
        into.append(node)
        _flatten(node.children, into)
    return into


class CategoryListApi(GenericAPIView):
    """Active categories, flat in tree order: each parent before its children."""

    permission_classes = [AllowAny]
    filter_backends = []

    @extend_schema(
        operation_id="categories_list",
        summary="Categories",
        description=(
            "Every active category once, depth first (a parent comes right before "
            "its children, siblings by position), with its parent's id and its "
            "depth, so a client can rebuild the tree from one list."
        ),
        responses={200: CategorySerializer(many=True)},
        tags=["catalogue"],
    )
    def get(self, request):
        nodes = _flatten(selectors.category_tree(), [])
        page = self.paginate_queryset(nodes)
        data = CategorySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class ProductListApi(GenericAPIView):
    permission_classes = [AllowAny]
    filter_backends = []

    @extend_schema(
        operation_id="products_list",
        summary="Products",
        description=(
            "Products this shopper may see, priced for them, with the storefront's "
            "filters, search and sorting. A malformed filter is a 400 naming the "
            "parameter."
        ),
        parameters=[ProductListQuerySerializer, *PRODUCT_FILTER_PARAMETERS],
        responses={200: ProductCardSerializer(many=True)},
        tags=["catalogue"],
    )
    def get(self, request):
        query = ProductListQuerySerializer(data=request.query_params)
        query.is_valid()
        # Both sets of errors are reported together; validated_data is {} on error.
        params = query.validated_data
        shopper = shopper_for_request(request)
        filterset, products = selectors.product_listing(
            shopper=shopper,
            category=params.get("category"),
            query=params.get("q", ""),
            params=request.query_params,
            ordering=params.get("ordering", ""),
        )
        errors = {**query.errors, **form_errors(filterset.errors)}
        if errors:
            raise ValidationError(errors)
        page = self.paginate_queryset(products)
        cards = selectors.product_cards(page, shopper=shopper)
        data = ProductCardSerializer(
            cards, many=True, context={"request": request}
        ).data
        return self.get_paginated_response(data)


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="products_retrieve",
        summary="A product",
        description=(
            "A product this shopper may see, with its variants on sale priced for "
            "them, its pictures and attributes. Unknown, unpublished or hidden "
            "products are a 404."
        ),
        responses={200: ProductDetailSerializer},
        tags=["catalogue"],
    )
    def get(self, request, slug: str):
        try:
            product = selectors.product_detail(
                shopper=shopper_for_request(request), slug=slug
            )
        except Product.DoesNotExist as exc:
            raise NotFound(_("No such product.")) from exc
        return Response(
            ProductDetailSerializer(product, context={"request": request}).data
        )
