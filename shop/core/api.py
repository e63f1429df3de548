"""Shared API pieces: pagination and turning domain errors into 400s."""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shop.core.errors import ShopError


class ShopPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """DRF's handler, plus domain errors as field-level 400s."""
    if isinstance(exc, ShopError):
        body = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def raise_as_validation_error(exc: ShopError):
    raise ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc
