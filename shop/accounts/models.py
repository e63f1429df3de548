from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.accounts.regions import COUNTRY_NAMES
from shop.accounts.validators import display_phone, validate_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A customer or a member of staff; the email address is the login."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("Stored in international format, e.g. +886912345678."),
    )
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    # When the birthday was last set, so gifts can refuse a date changed just before.
    birthday_set_at = models.DateTimeField(_("birthday set at"), null=True, blank=True)
    accepts_email_marketing = models.BooleanField(
        _("email marketing consent"), default=False
    )
    email_marketing_changed_at = models.DateTimeField(
        _("email consent changed at"), null=True, blank=True, editable=False
    )
    accepts_sms_marketing = models.BooleanField(
        _("SMS marketing consent"), default=False
    )
    sms_marketing_changed_at = models.DateTimeField(
        _("SMS consent changed at"), null=True, blank=True, editable=False
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log into the back office."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(
        _("date joined"), default=timezone.now, db_index=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-date_joined"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email.split("@")[0]

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""


class ConsentRecord(models.Model):
    """Append-only history of marketing consents: what, when, how."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consent_records"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(
        _("source"), max_length=40, help_text=_("e.g. signup, profile, admin")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["user", "channel", "-recorded_at"])]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.granted}"


class Address(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    recipient_name = models.CharField(_("recipient"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_phone])
    country = models.CharField(_("country"), max_length=2, default="TW")
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city / county"), max_length=50)
    district = models.CharField(_("district"), max_length=50)
    street = models.CharField(_("street address"), max_length=200)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default=True),
                name="one_default_address_per_user",
            )
        ]

    def __str__(self):
        return f"{self.recipient_name} {self.one_line}"

    @property
    def one_line(self) -> str:
        return f"{self.postal_code} {self.city}{self.district}{self.street}"

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def country_name(self) -> str:
        return str(COUNTRY_NAMES.get(self.country, self.country))
