"""The returns queue: the list staff work from, and a request's page.

The list shows what decides the next step: status, resolution, reasons, age,
units received of those asked back, and the refund deadline (highlighted
when it is close or passed), with the customer and a badge for a flagged
serial returner. A page of rows costs the same queries whatever its length:
the order and customer are joined, lines and units prefetched, and the
customers' histories read once per page (`return_history_for_customers`).

A request's page is read-only: the request, its items with photos and units,
refunds, notes (with a form), the timeline and, beside it, the customer's
other returns. Its buttons lead to the move pages (`pages`), which call the
services. Nothing is added, edited or deleted here by hand.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from returns import services
from returns.admin import forms as staff_forms
from returns.admin.filters import QUEUE_FILTERS, queue_search
from returns.admin.pages import RequestPagesMixin
from returns.admin.staff import (
    ADD_NOTE,
    CHANGE_REQUEST,
    customer_returns_other,
    staff_moves_allowed,
    unit_counts,
)
from returns.errors import ReturnError
from returns.models import ReturnRequest, ReturnStatus
from returns.selectors import (
    refund_deadline_state,
    return_history_for_customers,
    return_requests_with_details,
)
from returns.services.refunds import bank_account_masked
from shop.accounts.validators import display_phone


def when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def deadline_text(obj, now=None) -> tuple[str, str]:
    """(state, text) of the refund-deadline timer: "soon", "overdue" or ""."""
    if obj.refund_due_by is None:
        return "", "—"
    now = now or timezone.now()
    state = refund_deadline_state(request=obj, now=now)
    date = timezone.localtime(obj.refund_due_by).strftime("%Y-%m-%d")
    if state == "overdue":
        days = (now - obj.refund_due_by).days
        text = (
            ngettext("overdue by %(n)d day", "overdue by %(n)d days", days)
            % {"n": days}
            if days
            else gettext("overdue")
        )
    elif state == "soon":
        days = (obj.refund_due_by - now).days
        text = (
            ngettext("due in %(n)d day", "due in %(n)d days", days) % {"n": days}
            if days
            else gettext("due today")
        )
    else:
        return "", date
    return state, f"{date} · {text}"


def status_label(value: str) -> str:
    return str(ReturnStatus(value).label) if value in ReturnStatus.values else ""


def history_text(history) -> str:
    """`3 returns · 5 of 20 units (25%)` for a customer's history."""
    if history is None:
        return ""
    return ngettext(
        "%(n)d return · %(returned)d of %(bought)d units (%(rate)s%%)",
        "%(n)d returns · %(returned)d of %(bought)d units (%(rate)s%%)",
        history.requests,
    ) % {
        "n": history.requests,
        "returned": history.units_returned,
        "bought": history.units_bought,
        "rate": history.rate,
    }


def serial_badge(history) -> str:
    if history is None or not history.flagged:
        return ""
    return format_html(
        ' <span class="return-badge return-badge-serial" title="{}">{}</span>',
        gettext(
            "Flagged by the return analytics: returns more than the policy's rate."
        ),
        gettext("serial returner"),
    )


@admin.register(ReturnRequest)
class ReturnRequestAdmin(RequestPagesMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "order_link",
        "customer_display",
        "status_badge",
        "resolution",
        "reasons_display",
        "age_display",
        "units_display",
        "deadline_display",
    )
    list_display_links = ("number",)
    list_filter = QUEUE_FILTERS
    search_fields = ("number",)
    search_help_text = _(
        "An RMA number, an order number, an email address or a phone number."
    )
    list_select_related = ("order", "user")
    # Refunds due first, then the oldest requests: the order work is done in.
    ordering = (F("refund_due_by").asc(nulls_last=True), "created_at", "id")
    sortable_by = ("number", "status_badge", "age_display", "deadline_display")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    actions = ("approve_selected", "close_selected")
    change_list_template = "returns/admin/change_list.html"

    # --- permissions: records are written by the services only ---

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [*self.request_page_urls(), *super().get_urls()]

    # --- the list ---

    def get_queryset(self, request):
        rows = return_requests_with_details()
        ordering = self.get_ordering(request)
        return rows.order_by(*ordering) if ordering else rows

    def get_search_results(self, request, queryset, search_term):
        return queue_search(queryset, search_term), False

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)

        class QueueChangeList(base):
            def get_results(self, request):
                super().get_results(request)
                rows = list(self.result_list)
                histories = return_history_for_customers(
                    user_ids={row.user_id for row in rows}
                )
                for row in rows:
                    row.history = histories.get(row.user_id)

        return QueueChangeList

    def get_list_display(self, request):
        # Returns staff see the returns only: the order number, not a link to
        # an order page they may not open.
        if request.user.has_perm("orders.view_order"):
            return self.list_display
        return tuple(
            "order_number" if name == "order_link" else name
            for name in self.list_display
        )

    @admin.display(description=_("order"), ordering="order__number")
    def order_number(self, obj):
        return obj.order.number

    @admin.display(description=_("order"), ordering="order__number")
    def order_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:orders_order_change", args=[obj.order_id]),
            obj.order.number,
        )

    @admin.display(description=_("customer"))
    def customer_display(self, obj):
        history = getattr(obj, "history", None)
        who = obj.order.customer_name or obj.email
        kind = gettext("member") if obj.user_id else gettext("guest")
        return format_html(
            "{} <small>({})</small>{}<br><small>{}</small>",
            who,
            kind,
            serial_badge(history),
            history_text(history),
        )

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="return-status return-status-{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    @admin.display(description=_("reasons"))
    def reasons_display(self, obj):
        reasons = []
        for line in obj.lines.all():
            label = line.get_reason_display()
            if label not in reasons:
                reasons.append(label)
        return ", ".join(reasons)

    @admin.display(description=_("age"), ordering="created_at")
    def age_display(self, obj):
        age = timezone.now() - obj.created_at
        if age.days:
            return ngettext("%(n)d day", "%(n)d days", age.days) % {"n": age.days}
        hours = age.seconds // 3600
        if not hours:
            return gettext("under an hour")
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}

    @admin.display(description=_("units received"))
    def units_display(self, obj):
        received, total = unit_counts(obj)
        return f"{received}/{total}"

    @admin.display(
        description=_("refund due"),
        ordering=F("refund_due_by").asc(nulls_last=True),
    )
    def deadline_display(self, obj):
        state, text = deadline_text(obj)
        if not state:
            return text
        return format_html(
            '<span class="return-due return-due-{}">{}</span>', state, text
        )

    # --- bulk actions ---

    def _each(self, request, queryset, call, success) -> None:
        done = 0
        for obj in queryset.order_by("pk"):
            try:
                call(obj)
            except ReturnError as error:
                self.message_user(
                    request, f"{obj.number}: {error.message}", messages.ERROR
                )
            else:
                done += 1
                self.log_change(request, obj, success(1))
        if done:
            self.message_user(request, success(done), messages.SUCCESS)

    @admin.action(description=_("Approve the selected returns"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda obj: services.return_request_approve(
                request=obj, actor=request.user
            ),
            lambda n: (
                ngettext("%(n)d return approved.", "%(n)d returns approved.", n)
                % {"n": n}
            ),
        )

    @admin.action(description=_("Close the selected returns"), permissions=["change"])
    def close_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda obj: services.return_request_close(request=obj, actor=request.user),
            lambda n: (
                ngettext("%(n)d return closed.", "%(n)d returns closed.", n) % {"n": n}
            ),
        )

    # --- a request's page ---

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The page has no form: a crafted POST must not save the request.
        if request.method != "GET":
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            pk = 0
        obj = self._staff_return(pk)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        refunds = list(obj.refunds.all())
        history = return_history_for_customers(user_ids=[obj.user_id]).get(obj.user_id)
        state, deadline = deadline_text(obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": gettext("Return %(number)s") % {"number": obj.number},
            "subtitle": obj.get_status_display(),
            "facts": self._facts(request, obj, state, deadline),
            "lines": obj.lines.all(),
            "refunds": refunds,
            "events": [
                (event, status_label(event.from_status), status_label(event.to_status))
                for event in obj.events.all()
            ],
            "notes": obj.notes.all(),
            "note_form": staff_forms.NoteForm()
            if request.user.has_perm(ADD_NOTE)
            else None,
            "moves": staff_moves_allowed(
                request=obj, refunds=refunds, user=request.user
            ),
            "may_change": request.user.has_perm(CHANGE_REQUEST),
            "history": history,
            "history_text": history_text(history),
            "others": customer_returns_other(request=obj),
            "has_view_permission": True,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "returns/admin/request.html", context)

    def _facts(self, request, obj, state, deadline) -> list[tuple[str, str]]:
        """The request's data as (label, text) rows; the bank account masked."""
        order = obj.order
        if request.user.has_perm("orders.view_order"):
            order_text = format_html(
                '<a href="{}">{}</a>',
                reverse("admin:orders_order_change", args=[order.pk]),
                order.number,
            )
        else:
            order_text = order.number
        customer = format_html("{} · {}", order.customer_name or "—", obj.email)
        if obj.user_id and request.user.has_perm("accounts.view_user"):
            customer = format_html(
                '<a href="{}">{}</a>',
                reverse("admin:accounts_user_change", args=[obj.user_id]),
                customer,
            )
        rows = [
            (_("RMA number"), obj.number),
            (_("order"), order_text),
            (_("customer"), customer),
            (_("phone"), display_phone(order.phone) if order.phone else "—"),
            (_("status"), obj.get_status_display()),
            (_("resolution"), obj.get_resolution_display()),
            (_("return method"), obj.get_method_display()),
            (_("return code"), obj.return_code or "—"),
            (_("tracking number"), obj.tracking_number or "—"),
            (_("note from the customer"), obj.shopper_note or "—"),
            (_("requested"), when(obj.created_at)),
            (_("approved"), when(obj.approved_at)),
            (_("ship back by"), when(obj.ship_by)),
            (_("received"), when(obj.received_at)),
            (
                _("refund due by"),
                format_html(
                    '<span class="return-due return-due-{}">{}</span>', state, deadline
                )
                if state
                else deadline,
            ),
            (_("resolved"), when(obj.resolved_at)),
            (_("closed"), when(obj.closed_at)),
        ]
        if obj.rejection_reason:
            rows.append((_("reason for rejecting"), obj.rejection_reason))
        masked = bank_account_masked(obj)
        if masked:
            rows.append((_("refund to bank account"), masked))
        return rows
