"""Back office for customers: profile, addresses and consent history.

Changes that carry a rule go through the services: a consent changed here is
recorded with source "admin", a corrected birthday records when it was set, an
email changed here replaces the one allauth logs in with, and addresses keep
exactly one default.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.accounts.errors import AccountsError
from shop.accounts.models import Address, ConsentRecord, User
from shop.accounts.services import (
    CONSENT_FIELDS,
    address_create,
    address_delete,
    address_set_default,
    address_update,
    address_validate,
    user_birthday_correct,
    user_consent_set,
    user_email_sync,
)
from shop.accounts.validators import normalize_phone
from shop.core.admin import ReadOnlyAdminMixin

ADDRESS_FIELDS = (
    "recipient_name",
    "phone",
    "country",
    "postal_code",
    "city",
    "district",
    "street",
)


def _clean_email(form: forms.ModelForm) -> str:
    email = form.cleaned_data["email"].strip().lower()
    clash = User.objects.filter(email__iexact=email)
    if form.instance.pk:
        clash = clash.exclude(pk=form.instance.pk)
    if clash.exists():
        raise ValidationError(_("A customer with this email address already exists."))
    return email


def _clean_optional_phone(value: str) -> str:
    value = (value or "").strip()
    return normalize_phone(value) if value else ""


class CustomerCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")

    def clean_email(self) -> str:
        return _clean_email(self)


class CustomerChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _clean_email(self)

    def clean_phone(self) -> str:
        return _clean_optional_phone(self.cleaned_data.get("phone", ""))


class AddressAdminForm(forms.ModelForm):
    """Validates like the member's address book; saving goes through the services."""

    class Meta:
        model = Address
        fields = ("user", *ADDRESS_FIELDS)

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        # The service holds the full rules (Taiwan counties, postal codes).
        try:
            cleaned = address_validate(
                **{field: self.cleaned_data.get(field, "") for field in ADDRESS_FIELDS}
            )
        except AccountsError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        else:
            self.cleaned_data.update(cleaned)
            for field, value in cleaned.items():
                setattr(self.instance, field, value)


class AddressInline(admin.TabularInline):
    model = Address
    form = AddressAdminForm
    fields = (*ADDRESS_FIELDS, "is_default")
    readonly_fields = ("is_default",)
    extra = 0
    show_change_link = True


class ConsentRecordInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The consent history, as it happened; nobody edits it."""

    model = ConsentRecord
    fields = ("recorded_at", "channel", "granted", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-recorded_at", "-id")


def _manages_staff(user: User) -> bool:
    return user.is_superuser or user.has_perm("auth.change_group")


def _may_edit_account(user: User, account: User) -> bool:
    if account.is_superuser:
        return user.is_superuser
    return not account.is_staff or _manages_staff(user)


@admin.register(User)
class CustomerAdmin(UserAdmin):
    form = CustomerChangeForm
    add_form = CustomerCreationForm
    inlines = [AddressInline, ConsentRecordInline]
    list_display = (
        "email",
        "name",
        "phone_display",
        "accepts_email_marketing",
        "accepts_sms_marketing",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_display_links = ("email", "name")
    list_filter = (
        "is_staff",
        "is_active",
        "accepts_email_marketing",
        "accepts_sms_marketing",
        "date_joined",
        "groups",
    )
    # The user row has no foreign keys to join; the list reads one table.
    list_select_related = False
    search_fields = ("email", "name", "phone")
    search_help_text = _("Search by email, name or phone (e.g. +886912345678).")
    ordering = ("-date_joined",)
    show_full_result_count = False
    list_per_page = 50
    filter_horizontal = ("groups", "user_permissions")
    readonly_fields = (
        "birthday_set_at",
        "email_marketing_changed_at",
        "sms_marketing_changed_at",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": ("name", "phone", "birthday", "birthday_set_at")},
        ),
        (
            _("Marketing consents"),
            {
                "fields": (
                    ("accepts_email_marketing", "email_marketing_changed_at"),
                    ("accepts_sms_marketing", "sms_marketing_changed_at"),
                ),
                "description": _(
                    "Change a consent only at the customer's request; every change "
                    "is kept in the consent history below."
                ),
            },
        ),
        (
            _("Permissions"),
            {
                "classes": ("collapse",),
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # The add page asks for the login only, like Django's user admin.
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        # Changing a customer's profile must not hand out back-office rights:
        # only who manages staff (groups) grants them, and only a superuser
        # makes another.
        fields = [*super().get_readonly_fields(request, obj)]
        if not _manages_staff(request.user):
            fields += ["is_staff", "groups", "user_permissions"]
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def has_change_permission(self, request, obj=None):
        # The password and email of a staff account are a way into the back
        # office: customer service changes customers, not colleagues.
        if obj is not None and not _may_edit_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not _may_edit_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("mobile phone"), ordering="phone")
    def phone_display(self, obj: User) -> str:
        return obj.phone_display

    def save_model(self, request, obj, form, change):
        """Save, then let the services record consents, birthday and email changes.

        The admin wraps this and the inlines in one transaction.
        """
        if not change:
            super().save_model(request, obj, form, change)
            user_email_sync(user=obj)
            return
        changed = set(form.changed_data)
        consents = {}
        for channel, (flag_field, _at_field) in CONSENT_FIELDS.items():
            if flag_field in changed:
                consents[channel] = getattr(obj, flag_field)
                # Saved unchanged here: user_consent_set writes it with its record.
                setattr(obj, flag_field, form.initial[flag_field])
        super().save_model(request, obj, form, change)
        if "birthday" in changed:
            user_birthday_correct(user=obj, birthday=obj.birthday)
        for channel, granted in consents.items():
            user_consent_set(user=obj, channel=channel, granted=granted, source="admin")
        if "email" in changed:
            user_email_sync(user=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Address:
            return super().save_formset(request, form, formset, change)
        addresses = formset.save(commit=False)
        for address in formset.deleted_objects:
            address_delete(address=address)
        for address in addresses:
            values = {field: getattr(address, field) for field in ADDRESS_FIELDS}
            if address.pk is None:
                address_create(user=form.instance, **values)
            else:
                address_update(address=address, **values)
        formset.save_m2m()
        return None


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    form = AddressAdminForm
    list_display = (
        "recipient_name",
        "user",
        "city",
        "district",
        "postal_code",
        "is_default",
    )
    list_select_related = ("user",)
    list_filter = ("is_default", "country", "city")
    search_fields = ("recipient_name", "phone", "street", "user__email", "user__name")
    autocomplete_fields = ("user",)
    readonly_fields = ("is_default", "created_at")
    fields = ("user", *ADDRESS_FIELDS, "is_default", "created_at")
    show_full_result_count = False
    actions = ("make_default",)

    def get_readonly_fields(self, request, obj=None):
        # The owner of an address is chosen once; moving it would break both books.
        if obj is not None:
            return (*self.readonly_fields, "user")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in ADDRESS_FIELDS}
        if change:
            address_update(address=obj, **values)
        else:
            created = address_create(user=form.cleaned_data["user"], **values)
            # The admin goes on with `obj` (log entry, message, redirect).
            obj.pk = created.pk
            obj.is_default = created.is_default
            obj.created_at = created.created_at
            obj._state.adding = False
            obj._state.db = created._state.db

    def delete_model(self, request, obj):
        address_delete(address=obj)

    def delete_queryset(self, request, queryset):
        for address in queryset.select_related(None).order_by("pk"):
            address_delete(address=address)

    @admin.action(description=_("Make the selected address the customer's default"))
    def make_default(self, request, queryset):
        count = 0
        for address in queryset.order_by("pk"):
            address_set_default(address=address)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d address made default.",
                "%(count)d addresses made default.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The consent history of all customers, for audits; read-only."""

    list_display = ("recorded_at", "user", "channel", "granted", "source")
    list_select_related = ("user",)
    list_filter = ("channel", "granted", "source", "recorded_at")
    search_fields = ("user__email", "user__name")
    date_hierarchy = "recorded_at"
    show_full_result_count = False
