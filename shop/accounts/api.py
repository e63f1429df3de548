"""The member's API: sign-in tokens, their profile and their address book.

Every address view looks the address up among the requesting member's own
(`selectors.address_list`), so another member's address is a 404, never a 403
that would tell it exists. Rules live in `shop.accounts.services`; an
`AccountsError` they raise becomes a 400 naming the field
(`shop.core.api.exception_handler`).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from shop.accounts.models import Address, ConsentRecord
from shop.accounts.selectors import address_list
from shop.accounts.serializers import (
    AddressInputSerializer,
    AddressSerializer,
    MeSerializer,
    MeUpdateSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)
from shop.accounts.services import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
    user_consent_set,
    user_profile_update,
)
from shop.core.api import paginated_response

CONSENT_SOURCE = "api"
_PROFILE_FIELDS = ("name", "phone", "birthday")
_CONSENT_CHANNELS = {
    "accepts_email_marketing": ConsentRecord.Channel.EMAIL,
    "accepts_sms_marketing": ConsentRecord.Channel.SMS,
}


# --- Tokens -----------------------------------------------------------------


class AuthTokenApi(APIView):
    """Exchange an email and password for an API token, or revoke it.

    A member has one token, shared by their devices: revoking signs them all out.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_authenticators(self):
        # Signing in needs no credentials, and SessionAuthentication would demand
        # a CSRF token from a browser that happens to carry a session cookie.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get an API token",
        request=TokenObtainSerializer,
        responses={200: TokenSerializer},
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenObtainSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(
            user=serializer.validated_data["user"]
        )
        return Response(TokenSerializer(token).data)

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Revoke the API token",
        request=None,
        responses={204: OpenApiResponse(description="The token no longer works.")},
        tags=["auth"],
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Profile ----------------------------------------------------------------


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_retrieve",
        summary="My profile and marketing consents",
        responses={200: MeSerializer},
        tags=["me"],
    )
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        operation_id="me_partial_update",
        summary="Change my profile or marketing consents",
        description=(
            "Fields left out keep their value. The email address is changed "
            "through the account pages, where the new one is verified. The "
            "birthday can be set once; sending the same date again is fine. Each "
            "consent change is recorded with its time and the source `api`."
        ),
        request=MeUpdateSerializer,
        responses={200: MeSerializer},
        tags=["me"],
    )
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        only_withdrawals = not any(f in data for f in _PROFILE_FIELDS) and not any(
            data.get(f) for f in _CONSENT_CHANNELS
        )
        if only_withdrawals:
            # Withdrawing consent must always work, even for a member whose
            # profile would not pass today's rules (no name yet, say).
            with transaction.atomic():
                for field, channel in _CONSENT_CHANNELS.items():
                    if field in data:
                        user_consent_set(
                            user=user,
                            channel=channel,
                            granted=False,
                            source=CONSENT_SOURCE,
                        )
        else:
            user_profile_update(
                user=user,
                name=data.get("name", user.name),
                phone=data.get("phone", user.phone),
                birthday=data.get("birthday", user.birthday),
                accepts_email_marketing=data.get("accepts_email_marketing"),
                accepts_sms_marketing=data.get("accepts_sms_marketing"),
                source=CONSENT_SOURCE,
            )
        return Response(MeSerializer(user).data)


# --- Addresses --------------------------------------------------------------


def _own_address(request, address_id: int) -> Address:
    address = address_list(user=request.user).filter(pk=address_id).first()
    if address is None:
        raise NotFound(_("Address not found."))
    return address


class AddressListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = []

    @extend_schema(
        operation_id="me_addresses_list",
        summary="My address book",
        responses={200: AddressSerializer(many=True)},
        tags=["me"],
    )
    def get(self, request):
        return paginated_response(
            view=self,
            queryset=address_list(user=request.user),
            serializer_class=AddressSerializer,
        )

    @extend_schema(
        operation_id="me_addresses_create",
        summary="Add an address",
        request=AddressInputSerializer,
        responses={201: AddressSerializer},
        tags=["me"],
    )
    def post(self, request):
        serializer = AddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = address_create(user=request.user, **serializer.validated_data)
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_addresses_retrieve",
        summary="One of my addresses",
        responses={200: AddressSerializer},
        tags=["me"],
    )
    def get(self, request, id: int):
        return Response(AddressSerializer(_own_address(request, id)).data)

    @extend_schema(
        operation_id="me_addresses_partial_update",
        summary="Change an address",
        description=(
            "Fields left out keep their value. `is_default: true` makes it the "
            "default; `false` does not take the default away (make another "
            "address the default instead)."
        ),
        request=AddressInputSerializer(partial=True),
        responses={200: AddressSerializer},
        tags=["me"],
    )
    def patch(self, request, id: int):
        address = _own_address(request, id)
        serializer = AddressInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        address = address_update(address=address, **serializer.validated_data)
        return Response(AddressSerializer(address).data)

    @extend_schema(
        operation_id="me_addresses_destroy",
        summary="Delete an address",
        description="When it was the default, the newest remaining one takes over.",
        responses={204: OpenApiResponse(description="Deleted.")},
        tags=["me"],
    )
    def delete(self, request, id: int):
        address_delete(address=_own_address(request, id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressSetDefaultApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_addresses_set_default",
        summary="Make an address the default",
        request=None,
        responses={200: AddressSerializer},
        tags=["me"],
    )
    def post(self, request, id: int):
        address = address_set_default(address=_own_address(request, id))
        return Response(AddressSerializer(address).data)
