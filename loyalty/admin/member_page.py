"""A member's page in the back office: figures, histories, and the two forms.

The figures are caches kept by the services, so the page is read-only. Below
them: the open points lots by expiry, the latest ledger entries, tier history
and qualifying spend, each cut short with a link to the whole ledger. Points
change through "Adjust points" (permission `loyalty.adjust_points`, reason
required, one idempotency key per rendered form so a double submit counts
once) and the tier through "Change tier"; both call the services and show a
refusal on the form. Every change is also written to the admin history.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from loyalty.admin.forms import PointsAdjustForm, TierSetForm, new_idempotency_key
from loyalty.models import (
    Membership,
    PointsEntry,
    PointsLot,
    PointsLotStatus,
    QualifyingSpend,
    TierChange,
)
from loyalty.selectors.tiers import tier_progress
from loyalty.services import points as points_service
from loyalty.services import tiers as tiers_service
from shop.core.errors import ShopError
from shop.core.money import format_money

# What a member's page shows of each history; the rest is in the ledgers.
LEDGER_ROWS = 50
LOT_ROWS = 100
SPEND_ROWS = 20

ADJUST_PERMISSION = "loyalty.adjust_points"


def when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class MemberPageMixin:
    """The member's page and forms, for `MembershipAdmin`."""

    def _may_adjust(self, request, membership) -> bool:
        # Nobody grants themselves points, whatever their rights.
        return (
            request.user.has_perm(ADJUST_PERMISSION)
            and membership.user_id != request.user.pk
        )

    def _may_set_tier(self, request, membership) -> bool:
        return (
            self.has_change_permission(request, membership)
            and membership.user_id != request.user.pk
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A member's tier and balances change only through the services (the
        # forms below). The page has no save button, but a crafted POST would
        # otherwise overwrite the cached balances from an unlocked read.
        if request.method == "POST":
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def member_page_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/adjust-points/",
                wrap(self.adjust_points_view),
                name="loyalty_membership_adjust_points",
            ),
            path(
                "<int:object_id>/change-tier/",
                wrap(self.change_tier_view),
                name="loyalty_membership_change_tier",
            ),
        ]

    # --- read-only fields ---

    @admin.display(description=_("mobile phone"))
    def phone_display(self, membership):
        return membership.user.phone_display or "—"

    @admin.display(description=_("customer"))
    def customer_link(self, membership):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:accounts_user_change", args=[membership.user_id]),
            membership.user.name or membership.user.email,
        )

    @admin.display(description=_("in this tier since"))
    def tier_since_display(self, membership):
        return when(membership.tier_since)

    @admin.display(description=_("tier valid until"))
    def tier_expires_display(self, membership):
        if membership.tier_expires_on is None:
            return gettext("Does not expire")
        return membership.tier_expires_on.isoformat()

    @staticmethod
    def _progress(membership):
        # Both progress fields read the same figures: one query per page.
        if not hasattr(membership, "_admin_progress"):
            membership._admin_progress = tier_progress(membership=membership)
        return membership._admin_progress

    @admin.display(description=_("to the next tier"))
    def next_tier_progress(self, membership):
        progress = self._progress(membership)
        if progress.next_tier is None:
            return gettext("Already in the top tier.")
        if progress.next_percent >= 100:
            return gettext("Qualifies for %(tier)s.") % {
                "tier": progress.next_tier.display_name
            }
        missing = []
        if progress.next_spend_needed is not None:
            missing.append(
                gettext("%(amount)s more spend")
                % {"amount": format_money(progress.next_spend_needed)}
            )
        if progress.next_orders_needed is not None:
            missing.append(
                ngettext(
                    "%(n)d more order", "%(n)d more orders", progress.next_orders_needed
                )
                % {"n": progress.next_orders_needed}
            )
        if not missing:
            return gettext("%(tier)s is given by staff only.") % {
                "tier": progress.next_tier.display_name
            }
        joiner = (
            gettext(" and ")
            if progress.next_tier.qualify_requires_both
            else gettext(" or ")
        )
        return gettext("%(tier)s: %(missing)s (%(percent)d%% of the way).") % {
            "tier": progress.next_tier.display_name,
            "missing": joiner.join(missing),
            "percent": progress.next_percent,
        }

    @admin.display(description=_("to keep the tier"))
    def retention_progress(self, membership):
        progress = self._progress(membership)
        if progress.retain_by is None:
            return gettext("The tier does not expire.")
        values = {
            "tier": progress.tier.display_name,
            "date": progress.retain_by.isoformat(),
        }
        if progress.retain_spend_needed is None:
            return (
                gettext("Valid until %(date)s; kept only by qualifying for it again.")
                % values
            )
        if progress.retain_spend_needed <= 0:
            return gettext("Spent enough to keep %(tier)s after %(date)s.") % values
        return gettext(
            "%(amount)s more spend by %(date)s keeps %(tier)s (%(percent)d%% done)."
        ) % {
            **values,
            "amount": format_money(progress.retain_spend_needed),
            "percent": progress.retain_percent or 0,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        membership = self.get_object(request, object_id)
        extra = {}
        if membership is not None and self.has_view_or_change_permission(
            request, membership
        ):
            extra = self._member_context(request, membership)
        extra_context = {
            **(extra_context or {}),
            **extra,
            "title": gettext("Member"),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _member_context(self, request, membership) -> dict:
        entries = list(
            PointsEntry.objects.filter(membership=membership)
            .select_related("order", "actor")
            .order_by("-created_at", "-id")[:LEDGER_ROWS]
        )
        lots = list(
            PointsLot.objects.filter(
                membership=membership,
                status__in=[PointsLotStatus.PENDING, PointsLotStatus.AVAILABLE],
                remaining__gt=0,
            )
            .select_related("order")
            .order_by(F("expires_at").asc(nulls_last=True), "id")[:LOT_ROWS]
        )
        changes = list(
            TierChange.objects.filter(membership=membership)
            .select_related("from_tier", "to_tier", "actor", "order")
            .order_by("-created_at", "-id")[:LEDGER_ROWS]
        )
        spend = list(
            QualifyingSpend.objects.filter(membership=membership)
            .select_related("order")
            .order_by("-counted_at", "-id")[:SPEND_ROWS]
        )
        member_filter = "?" + urlencode({"membership__id__exact": membership.pk})
        return {
            "member_entries": entries,
            "member_lots": lots,
            "member_tier_changes": changes,
            "member_spend": spend,
            "ledger_rows": LEDGER_ROWS,
            "lot_rows": LOT_ROWS,
            "spend_rows": SPEND_ROWS,
            "member_filter": member_filter,
            "may_adjust": self._may_adjust(request, membership),
            "may_set_tier": self._may_set_tier(request, membership),
        }

    def _member_page(self, request, membership, *, template, title, form, **extra):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": membership,
                "membership": membership,
                "title": title,
                "subtitle": str(membership),
                "form": form,
                "has_view_permission": self.has_view_permission(request, membership),
                **extra,
            },
        )

    def _member_or_404(self, request, object_id) -> Membership:
        membership = self.get_object(request, object_id)
        if membership is None:
            raise Http404(gettext("This member does not exist."))
        return membership

    def _change_url(self, membership) -> str:
        return reverse("admin:loyalty_membership_change", args=[membership.pk])

    @staticmethod
    def _form_error(form, error: ShopError) -> None:
        # On its field when the page shows that field; above the form otherwise.
        field = form.fields.get(error.field or "")
        visible = field is not None and not field.widget.is_hidden
        form.add_error(error.field if visible else None, error.message)

    def adjust_points_view(self, request, object_id):
        """Add or take away points by hand, with a reason, through the ledger."""
        membership = self._member_or_404(request, object_id)
        if not self._may_adjust(request, membership):
            raise PermissionDenied
        if request.method == "POST":
            form = PointsAdjustForm(request.POST)
            if form.is_valid():
                points = form.cleaned_data["points"]
                reason = form.cleaned_data["reason"]
                try:
                    points_service.points_adjust(
                        user=membership.user,
                        points=points,
                        reason=reason,
                        actor=request.user,
                        idempotency_key=form.cleaned_data["idempotency_key"],
                    )
                except ShopError as error:
                    self._form_error(form, error)
                else:
                    membership.refresh_from_db()
                    self._adjusted(request, membership, points, reason)
                    return HttpResponseRedirect(self._change_url(membership))
        else:
            form = PointsAdjustForm(
                initial={"idempotency_key": new_idempotency_key("adjust")}
            )
        return self._member_page(
            request,
            membership,
            template="admin/loyalty/membership/adjust_points.html",
            title=gettext("Adjust points"),
            form=form,
        )

    def _adjusted(self, request, membership, points: int, reason: str) -> None:
        values = {
            "n": abs(points),
            "member": membership.user.email,
            "balance": membership.points_available,
        }
        if points > 0:
            text = ngettext(
                "Added %(n)d point to %(member)s. Points available now: %(balance)d.",
                "Added %(n)d points to %(member)s. Points available now: %(balance)d.",
                abs(points),
            )
        else:
            text = ngettext(
                "Took %(n)d point from %(member)s. Points available now: %(balance)d.",
                "Took %(n)d points from %(member)s. Points available now: %(balance)d.",
                abs(points),
            )
        self.message_user(request, text % values, messages.SUCCESS)
        # Also in the member's admin history, next to every other staff change.
        self.log_change(
            request,
            membership,
            gettext("Adjusted points by %(points)+d: %(reason)s")
            % {"points": points, "reason": reason},
        )

    def change_tier_view(self, request, object_id):
        """Move a member to another tier of the active scheme, with a reason."""
        membership = self._member_or_404(request, object_id)
        if not self._may_set_tier(request, membership):
            raise PermissionDenied
        if request.method == "POST":
            form = TierSetForm(request.POST, current=membership.tier)
            if form.is_valid():
                tier = form.cleaned_data["tier"]
                reason = form.cleaned_data["reason"]
                try:
                    tiers_service.tier_set(
                        user=membership.user,
                        tier=tier,
                        reason=reason,
                        actor=request.user,
                    )
                except ShopError as error:
                    self._form_error(form, error)
                else:
                    self.message_user(
                        request,
                        gettext("%(member)s is now in the tier %(tier)s.")
                        % {"member": membership.user.email, "tier": tier.display_name},
                        messages.SUCCESS,
                    )
                    self.log_change(
                        request,
                        membership,
                        gettext("Changed the tier from %(old)s to %(new)s: %(reason)s")
                        % {
                            "old": membership.tier.display_name,
                            "new": tier.display_name,
                            "reason": reason,
                        },
                    )
                    return HttpResponseRedirect(self._change_url(membership))
        else:
            form = TierSetForm(current=membership.tier)
        return self._member_page(
            request,
            membership,
            template="admin/loyalty/membership/change_tier.html",
            title=gettext("Change tier"),
            form=form,
        )
