"""API shapes for the member: sign-in tokens, profile, consents, address book.

Input and output are separate serializers. Input ones check types and lengths
and hand plain values to the accounts services, which apply the rules (phone
numbers to E.164, the birthday set once) and raise `AccountsError` naming the
field; output ones only read.
"""

from allauth.account import app_settings as allauth_settings
from allauth.account.utils import has_verified_email
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shop.accounts.models import Address, User

# --- Tokens -----------------------------------------------------------------


class TokenObtainSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            email=attrs["email"].strip().lower(),
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("The email address or the password is not correct.")
                    ]
                },
                code="authorization",
            )
        mandatory = allauth_settings.EmailVerificationMethod.MANDATORY
        if allauth_settings.EMAIL_VERIFICATION == mandatory and not has_verified_email(
            user
        ):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Confirm your email address before signing in.")
                    ]
                },
                code="unverified",
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        source="key",
        read_only=True,
        help_text=_("Send it as `Authorization: Token <token>`."),
    )


# --- Profile ----------------------------------------------------------------


class MeSerializer(serializers.ModelSerializer):
    phone_display = serializers.CharField(read_only=True)
    birthday_editable = serializers.SerializerMethodField(
        help_text=_("False once the birthday is set: only staff can change it then.")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "phone",
            "phone_display",
            "birthday",
            "birthday_editable",
            "accepts_email_marketing",
            "email_marketing_changed_at",
            "accepts_sms_marketing",
            "sms_marketing_changed_at",
            "date_joined",
        ]
        read_only_fields = fields

    def get_birthday_editable(self, user: User) -> bool:
        return user.birthday is None


class MeUpdateSerializer(serializers.Serializer):
    """What a member may change about themselves; every field is optional.

    Only types and lengths are checked here; the rules (phone format, birthday
    set once, SMS needs a phone) are the accounts services', reported per field.
    """

    name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    phone = serializers.CharField(
        max_length=30,
        allow_blank=True,
        required=False,
        help_text=_(
            "Taiwan formats such as 0912-345-678, or an international number "
            "starting with +; stored as +886912345678."
        ),
    )
    birthday = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Can be set once; ask the shop to correct it."),
    )
    accepts_email_marketing = serializers.BooleanField(required=False)
    accepts_sms_marketing = serializers.BooleanField(required=False)


# --- Addresses --------------------------------------------------------------


class AddressSerializer(serializers.ModelSerializer):
    phone_display = serializers.CharField(read_only=True)
    country_name = serializers.CharField(read_only=True)
    one_line = serializers.CharField(read_only=True)

    class Meta:
        model = Address
        fields = [
            "id",
            "recipient_name",
            "phone",
            "phone_display",
            "country",
            "country_name",
            "postal_code",
            "city",
            "district",
            "street",
            "one_line",
            "is_default",
            "created_at",
        ]
        read_only_fields = fields


class AddressInputSerializer(serializers.Serializer):
    """An address as a client sends it; `address_validate` checks the content."""

    recipient_name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=30)
    country = serializers.CharField(
        max_length=2, required=False, help_text=_("ISO 3166 code; TW when left out.")
    )
    postal_code = serializers.CharField(max_length=10)
    city = serializers.CharField(max_length=50)
    district = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for Taiwan."),
    )
    street = serializers.CharField(max_length=200)
    is_default = serializers.BooleanField(
        required=False,
        help_text=_(
            "True makes this the default address. The first address is always "
            "the default."
        ),
    )
