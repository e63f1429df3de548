"""Coupons in the back office: the coupons, issuing vouchers, and two ledgers.

A coupon is edited here (its use count is the ledger's, read-only); the
actions "Issue to a tier…" and "Issue to members…" ask on a page of their
own and call `coupons_issue_bulk`, recorded in each coupon's history. The
member vouchers and the coupon uses are written only by the services:
read-only, big-table lists that count only what the filters select.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from loyalty.admin.actions import action_page
from loyalty.admin.filters import customers_matching
from loyalty.admin.ledgers import LedgerAdmin
from loyalty.admin.member_page import when
from loyalty.coupons.forms import (
    CouponAdminForm,
    MembersIssueForm,
    TierIssueForm,
    new_issue_key,
)
from loyalty.coupons.selectors import customers_for_contacts
from loyalty.coupons.services import coupons_issue_bulk
from loyalty.coupons.texts import coupon_benefit, tier_for_code
from loyalty.errors import CouponError
from loyalty.models import Coupon, CouponRedemption, MemberCoupon
from shop.core.money import format_money
from shop.orders.models import Order

ISSUE_TEMPLATE = "loyalty/coupons/admin_issue.html"


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    form = CouponAdminForm
    list_display = (
        "name",
        "code",
        "benefit_display",
        "usage_display",
        "window_display",
        "is_active",
    )
    list_filter = ("is_active", "kind", "members_only", "member_day_only")
    search_fields = ("name", "code")
    autocomplete_fields = ("products", "categories")
    readonly_fields = ("usage_display", "uses_link", "vouchers_link")
    actions = ("issue_to_tier", "issue_to_members")
    fieldsets = (
        (None, {"fields": ("name", "code", "description", "is_active")}),
        (
            _("What it gives"),
            {"fields": ("kind", "value", "max_discount", "min_spend")},
        ),
        (
            _("Which items"),
            {
                "fields": ("products", "categories"),
                "description": _(
                    "Empty: every item. Otherwise the listed products and every "
                    "product in the listed categories (and below them)."
                ),
            },
        ),
        (
            _("Who and when"),
            {
                "fields": (
                    "members_only",
                    "min_tier_code",
                    "member_day_only",
                    "starts_at",
                    "ends_at",
                    "valid_days",
                )
            },
        ),
        (
            _("Limits"),
            {
                "fields": (
                    "usage_limit",
                    "per_member_limit",
                    "usage_display",
                    "uses_link",
                    "vouchers_link",
                ),
                "description": _(
                    "The per-member limit counts uses of the code; each issued "
                    "voucher is one use of its own. A cancelled order gives its "
                    "use back."
                ),
            },
        ),
        (
            _("Combining"),
            {
                "fields": (
                    "combines_with_points",
                    "combines_with_member_prices",
                    "combines_with_member_day",
                ),
                "description": _("Shoppers see these rules at checkout."),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # `times_used` moves only by F() under the coupon's row lock (redeem,
        # release); writing back the count read when this request loaded the
        # row would undo the uses made meanwhile and break the usage limit.
        obj.save(
            update_fields=[
                field.name
                for field in obj._meta.concrete_fields
                if not field.primary_key and field.name != "times_used"
            ]
        )
        return None

    # --- list ---

    @admin.display(description=_("gives"))
    def benefit_display(self, coupon):
        return coupon_benefit(coupon)

    @admin.display(description=_("used"))
    def usage_display(self, coupon):
        if coupon.usage_limit is None:
            return str(coupon.times_used)
        return f"{coupon.times_used} / {coupon.usage_limit}"

    @admin.display(description=_("valid"))
    def window_display(self, coupon):
        if coupon.starts_at is None and coupon.ends_at is None:
            return gettext("Always")
        return f"{when(coupon.starts_at)} – {when(coupon.ends_at)}"

    @admin.display(description=_("uses"))
    def uses_link(self, coupon):
        if coupon.pk is None:
            return "—"
        url = reverse("admin:loyalty_couponredemption_changelist")
        return format_html(
            '<a href="{}?coupon__id__exact={}">{}</a>',
            url,
            coupon.pk,
            gettext("Orders that used it"),
        )

    @admin.display(description=_("vouchers"))
    def vouchers_link(self, coupon):
        if coupon.pk is None:
            return "—"
        url = reverse("admin:loyalty_membercoupon_changelist")
        return format_html(
            '<a href="{}?coupon__id__exact={}">{}</a>',
            url,
            coupon.pk,
            gettext("Vouchers issued"),
        )

    # --- issuing ---

    @admin.action(description=_("Issue to a tier…"), permissions=["change"])
    def issue_to_tier(self, request, queryset):
        return self._issue(
            request,
            queryset,
            form_class=TierIssueForm,
            action="issue_to_tier",
            title=gettext("Issue vouchers to a tier"),
        )

    @admin.action(description=_("Issue to members…"), permissions=["change"])
    def issue_to_members(self, request, queryset):
        return self._issue(
            request,
            queryset,
            form_class=MembersIssueForm,
            action="issue_to_members",
            title=gettext("Issue vouchers to members"),
        )

    def _issue(self, request, queryset, *, form_class, action, title):
        """The action's page: the form, then the bulk issue (None: back to the list)."""
        coupons = list(queryset)
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid() and self._issue_all(request, coupons, form):
                return None
        else:
            form = form_class(initial={"issue_key": new_issue_key()})
        return action_page(
            self,
            request,
            template=ISSUE_TEMPLATE,
            action=action,
            title=title,
            selected=coupons,
            form=form,
        )

    def _issue_all(self, request, coupons, form) -> bool:
        key = form.cleaned_data["issue_key"]
        if isinstance(form, TierIssueForm):
            options = form.issue_kwargs()
            tier = tier_for_code(options["tier_code"])
            whom = (
                gettext("members of %(tier)s and above")
                if options["and_above"]
                else gettext("members of %(tier)s")
            ) % {"tier": tier.display_name if tier else options["tier_code"]}
            source, unknown = "admin:tier", []
        else:
            user_ids, unknown = customers_for_contacts(form.cleaned_data["recipients"])
            options = {"users": user_ids}
            whom = gettext("a list of members")
            source = "admin:list"
        for coupon in coupons:
            try:
                count = coupons_issue_bulk(
                    coupon=coupon, issue_key=key, source=source, **options
                )
            except CouponError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
                return False
            note = ngettext(
                "Issued %(count)d voucher to %(whom)s (%(key)s).",
                "Issued %(count)d vouchers to %(whom)s (%(key)s).",
                count,
            ) % {"count": count, "whom": whom, "key": key}
            self.log_change(request, coupon, note)
            self.message_user(request, f"{coupon}: {note}", messages.SUCCESS)
        if unknown:
            self.message_user(
                request,
                gettext("No customer has these, so they got nothing: %(items)s")
                % {"items": ", ".join(unknown[:50])},
                messages.WARNING,
            )
        return True


class _VoucherLedgerAdmin(LedgerAdmin):
    """What both voucher ledgers add to a ledger's: rows by customer, not member."""

    search_fields = ("user__email",)
    search_help_text = _(
        "Search by a customer's full email address or phone number, or by an "
        "order number."
    )
    ordering = ("-id",)
    sortable_by = ()

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        customers = customers_matching(term, partial=False)
        orders = Order.objects.order_by().filter(number__in={term, term.upper()})
        return queryset.filter(
            Q(user__in=customers) | Q(order__in=orders.values("pk"))
        ), False

    @admin.display(description=_("customer"))
    def customer(self, row):
        return row.user.email if row.user_id else "—"


@admin.register(MemberCoupon)
class MemberCouponAdmin(_VoucherLedgerAdmin):
    list_display = (
        "issued_at",
        "customer",
        "coupon",
        "source",
        "expires_at",
        "used_at",
        "order_number",
    )
    list_display_links = ("issued_at",)
    list_filter = ("coupon", "source")
    list_select_related = ("user", "coupon", "order")
    raw_id_fields = ("user", "coupon", "order")


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(_VoucherLedgerAdmin):
    list_display = (
        "created_at",
        "coupon",
        "customer",
        "order_number",
        "amount_display",
        "released_at",
    )
    list_display_links = ("created_at",)
    list_filter = ("coupon",)
    list_select_related = ("user", "coupon", "order")
    raw_id_fields = ("coupon", "member_coupon", "user", "order")

    @admin.display(description=_("discount"))
    def amount_display(self, row):
        return format_money(row.amount)
