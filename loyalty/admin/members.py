"""The member list: tier, points, spend and orders of every member.

The list reads members with their customer and tier in one query and counts
only what the filters select (`LargeTablePaginator`), so it stays fast on a
million members; it sorts only by indexed columns. Search finds a customer by
a full email address or phone number through an index, or by part of a name
or address. The CSV export is the list as filtered, searched and sorted on
the page, streamed. A member's page is in `member_page`.
"""

from __future__ import annotations

import logging

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loyalty.admin.exports import members_csv_rows
from loyalty.admin.filters import (
    LastOrderFilter,
    PointsFilter,
    SpendFilter,
    TierFilter,
    customers_matching,
)
from loyalty.admin.member_page import MemberPageMixin, when
from loyalty.admin.paginator import LargeTablePaginator
from loyalty.models import Membership
from shop.core.money import format_money

logger = logging.getLogger(__name__)


@admin.register(Membership)
class MembershipAdmin(MemberPageMixin, admin.ModelAdmin):
    list_display = (
        "email",
        "name",
        "tier_display",
        "points_available",
        "points_pending",
        "spend_display",
        "order_count",
        "last_order_display",
        "joined_display",
    )
    list_display_links = ("email",)
    list_filter = (TierFilter, PointsFilter, SpendFilter, LastOrderFilter)
    list_select_related = ("user", "tier")
    # The search box; `get_search_results` decides what a term matches.
    search_fields = ("user__email",)
    search_help_text = _(
        "Search by a full email address or phone number (e.g. 0912-345-678), "
        "or by part of a name or email address."
    )
    # Newest members first, by primary key: an index, unlike `joined_at`.
    ordering = ("-id",)
    # Only columns with an index sort; sorting a million rows by anything
    # else is a full sort on every page.
    sortable_by = ("spend_display", "last_order_display", "joined_display")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 50
    actions = ("export_selected_csv",)
    fieldsets = (
        (
            _("Customer"),
            {"fields": ("customer_link", "email", "phone_display")},
        ),
        (
            _("Tier"),
            {
                "fields": (
                    "tier_display",
                    "tier_since_display",
                    "tier_expires_display",
                    "next_tier_progress",
                    "retention_progress",
                )
            },
        ),
        (
            _("Points"),
            {"fields": ("points_available", "points_pending")},
        ),
        (
            _("Spend"),
            {
                "fields": (
                    "spend_display",
                    "order_count",
                    "last_order_display",
                    "joined_display",
                ),
                "description": _(
                    "Qualifying spend: what the member paid for items, after "
                    "discounts, points and credit, without shipping; cancelled "
                    "and returned orders are taken off again."
                ),
            },
        ),
    )

    # --- permissions ---

    def has_add_permission(self, request):
        # Every customer gets a membership when they sign up.
        return False

    def has_delete_permission(self, request, obj=None):
        # The membership carries the ledgers, a record of points owed. Like
        # the consent history, it also keeps the customer's account from
        # being deleted in the admin (Django asks every related admin).
        return False

    def get_readonly_fields(self, request, obj=None):
        # The figures are caches of the ledgers: changed only by the services.
        return [name for _title, opts in self.fieldsets for name in opts["fields"]]

    def _may_export(self, request) -> bool:
        # A file of every member's email address is the merchant's to take,
        # not every reader's.
        return self.has_change_permission(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._may_export(request):
            actions.pop("export_selected_csv", None)
        return actions

    # --- list ---

    def get_search_results(self, request, queryset, search_term):
        customers = customers_matching(search_term, partial=True)
        if customers is None:
            return queryset, False
        return queryset.filter(user__in=customers), False

    @admin.display(description=_("email"))
    def email(self, membership):
        return membership.user.email

    @admin.display(description=_("name"))
    def name(self, membership):
        return membership.user.name or "—"

    @admin.display(description=_("tier"))
    def tier_display(self, membership):
        return membership.tier.display_name

    @admin.display(description=_("total spend"), ordering="total_spend")
    def spend_display(self, membership):
        return format_money(membership.total_spend)

    # Never-ordered members count as the oldest: last when newest come first.
    @admin.display(
        description=_("last order"),
        ordering=F("last_order_at").asc(nulls_first=True),
    )
    def last_order_display(self, membership):
        return when(membership.last_order_at)

    @admin.display(description=_("joined"), ordering="id")
    def joined_display(self, membership):
        return when(membership.joined_at)

    # --- export ---

    def _csv_response(self, request, queryset):
        # Who took a file of members' addresses, and when: for the shop's records.
        logger.info("member list exported to CSV by staff user %s", request.user.pk)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            members_csv_rows(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
        return response

    @admin.action(description=_("Export the selected members to CSV"))
    def export_selected_csv(self, request, queryset):
        if not self._may_export(request):
            raise PermissionDenied
        return self._csv_response(request, queryset.order_by("-id"))

    def export_view(self, request):
        """The whole list as it is filtered, searched and sorted on the page."""
        if not self._may_export(request):
            raise PermissionDenied
        # The changelist reads the query string like the list page, but its
        # page of results is not needed here.
        request._loyalty_changelist_skip_results = True
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(
                reverse("admin:loyalty_membership_changelist") + "?e=1"
            )
        return self._csv_response(request, changelist.queryset)

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        if not getattr(request, "_loyalty_changelist_skip_results", False):
            return base

        class ExportChangeList(base):
            def get_results(self, request):
                pass

        return ExportChangeList

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_export": self._may_export(request),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "export/",
                wrap(self.export_view),
                name="loyalty_membership_export",
            ),
            *self.member_page_urls(),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "tier")
