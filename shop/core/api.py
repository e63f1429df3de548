"""Shared API pieces: pagination, domain errors as 400s, money fields."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shop.core.errors import ShopError
from shop.core.money import Money, money_round


def _query_int(request, name: str, *, maximum: int | None = None) -> int | None:
    """A positive whole number from the query string, None when absent, else 400."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("Enter a whole number of 1 or more.")
        else:
            message = _("Enter a whole number from 1 to %(maximum)d.") % {
                "maximum": maximum
            }
        raise ValidationError({name: [message]})
    return value


class ShopPagination(PageNumberPagination):
    """Page numbers; a bad `page` or `page_size` is a 400 instead of a silent default.

    DRF quietly falls back to the default size (or clamps to the maximum) when
    `page_size` is out of range; a client asking for 500 rows and getting 100
    without a word would miss data, so it is told instead.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        size = _query_int(
            request, self.page_size_query_param, maximum=self.max_page_size
        )
        return size or self.page_size

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return _query_int(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["schema"]["default"] = self.page_size
        return parameters


def paginated_response(*, view, queryset, serializer_class, context=None):
    """One page of `queryset` serialised with `serializer_class`, with count and links.

    For list views that are plain `GenericAPIView`s: `view.paginator` reads
    `page` and `page_size` from the request. drf-spectacular cannot tell such a
    view lists, so annotate it with `extend_schema(responses=X(many=True))` for
    the schema to show the page and its parameters.
    """
    page = view.paginate_queryset(queryset)
    serializer = serializer_class(page, many=True, context=context or {})
    return view.get_paginated_response(serializer.data)


def exception_handler(exc, context):
    """DRF's handler, plus domain and model validation errors as field-level 400s."""
    if isinstance(exc, ShopError):
        body = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = form_errors(exc.message_dict)
        else:
            body = {"non_field_errors": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def form_errors(errors) -> dict[str, list[str]]:
    """A Django form's (or filterset's) `errors` in the API's field-error shape."""
    return {
        ("non_field_errors" if field == NON_FIELD_ERRORS else field): list(messages)
        for field, messages in errors.items()
    }


def raise_as_validation_error(exc: ShopError):
    raise ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^-?\d+(\.\d+)?$",
        "example": "1280",
        "description": "Decimal amount as a string, in the currency's minor unit.",
    }
)
class MoneyAmountField(serializers.Field):
    """A Decimal amount as a string, rounded to its currency (`"1280"`, `"12.50"`).

    The source is a `shop.core.money.Money`; a string keeps clients from
    reading money into floats.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(money_round(Decimal(value.amount), value.currency))


@extend_schema_field(OpenApiTypes.STR)
class MoneyDisplayField(serializers.Field):
    """The amount as the shop shows it, e.g. `NT$1,280`."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value)


class _DecimalWithCurrency:
    """Reads a Decimal column and gives the field it is mixed into a `Money`.

    Model rows store amounts as bare Decimals beside a currency column (an
    order and its lines) or in the shop's currency (shipping fees), so the
    currency is found by following `currency_from`, a dotted path from the
    same object, or is the shop's when `currency_from` is None. A missing
    amount stays None (shown as null).
    """

    def __init__(self, *, currency_from: str | None = "currency", **kwargs):
        self.currency_from = currency_from
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        amount = super().get_attribute(instance)
        if amount is None:
            return None
        if self.currency_from is None:
            return Money(amount, settings.SHOP_CURRENCY)
        currency = instance
        for part in self.currency_from.split("."):
            currency = getattr(currency, part)
        return Money(amount, currency)


class DecimalMoneyAmountField(_DecimalWithCurrency, MoneyAmountField):
    """`MoneyAmountField` for a Decimal column (see `_DecimalWithCurrency`)."""


class DecimalMoneyDisplayField(_DecimalWithCurrency, MoneyDisplayField):
    """`MoneyDisplayField` for a Decimal column (see `_DecimalWithCurrency`)."""
