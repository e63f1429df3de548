"""Tier schemes: the versioned tier rules, edited as drafts and scheduled.

The merchant never edits the rules in force. "New draft from the active
scheme" copies them (`scheme_draft_from_active`); the draft's tiers are
edited inline; "Preview" shows what the draft would do to today's members
(`scheme_preview`); "Schedule" sets the day it takes effect
(`scheme_schedule`), when the daily job applies it. Once scheduled, a
scheme's tiers are read-only; "Back to draft" (`scheme_unschedule`) undoes
that before its day. What keeps a draft from being scheduled
(`scheme_problems`) is shown on its page. Only drafts can be deleted:
members and their history point at the tiers of the others.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loyalty.admin.forms import SchemeScheduleForm
from loyalty.models import SchemeStatus, Tier, TierScheme
from loyalty.services import schemes as schemes_service
from shop.core.errors import ShopError

ADD_PERMISSION = "loyalty.add_tierscheme"
CHANGE_PERMISSION = "loyalty.change_tierscheme"


class TierInline(admin.StackedInline):
    """A scheme's tiers; editable while the scheme is a draft, read-only after."""

    model = Tier
    extra = 0
    ordering = ("rank",)
    raw_id_fields = ("birthday_coupon",)
    fieldsets = (
        (
            None,
            {"fields": (("code", "rank"), ("name", "name_en", "name_zh_hans"))},
        ),
        (
            _("To reach the tier"),
            {
                "fields": (
                    ("qualify_spend", "qualify_orders", "qualify_requires_both"),
                    ("qualify_window", "qualify_window_months"),
                    "qualify_single_order",
                ),
                "description": _(
                    "Spend and orders are counted over the window. Leave a "
                    "condition empty to not use it; leave all empty for the rank 0 "
                    "tier, where every member starts."
                ),
            },
        ),
        (
            _("To keep the tier"),
            {"fields": ("retain_spend", ("validity", "validity_months"))},
        ),
        (
            _("Benefits"),
            {
                "fields": (
                    ("discount_percent", "points_multiplier"),
                    "free_shipping_threshold",
                    ("birthday_gift_amount", "birthday_coupon"),
                    ("member_day_extra_percent", "member_day_points_multiplier"),
                    "hidden_listing_access",
                )
            },
        ),
    )

    def _editable(self, obj) -> bool:
        return obj is not None and obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(TierScheme)
class TierSchemeAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "status_badge",
        "effective_from",
        "tier_count",
        "created_at",
        "activated_at",
        "created_by",
    )
    list_filter = ("status",)
    list_select_related = ("created_by",)
    ordering = ("-created_at", "-id")
    inlines = (TierInline,)
    fields = (
        "name",
        "status",
        "effective_from",
        "created_at",
        "activated_at",
        "created_by",
    )
    readonly_fields = (
        "status",
        "effective_from",
        "created_at",
        "activated_at",
        "created_by",
    )

    # --- permissions ---

    def has_add_permission(self, request):
        # A new scheme starts as a copy of the one in force (the button on the
        # list), never from nothing.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Members and their history point at the tiers of active and retired
        # schemes; a scheduled one goes back to draft first.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting many at once would skip the per-scheme check above.
        actions.pop("delete_selected", None)
        return actions

    def _may_create_draft(self, request) -> bool:
        return request.user.has_perm(ADD_PERMISSION)

    def _may_schedule(self, request, scheme) -> bool:
        return scheme.is_editable and request.user.has_perm(CHANGE_PERMISSION)

    def _may_unschedule(self, request, scheme) -> bool:
        return scheme.status == SchemeStatus.SCHEDULED and request.user.has_perm(
            CHANGE_PERMISSION
        )

    # --- list ---

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tier_total=Count("tiers"))

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, scheme):
        return format_html(
            '<span class="tier-scheme-status tier-scheme-status-{}">{}</span>',
            scheme.status,
            scheme.get_status_display(),
        )

    @admin.display(description=_("tiers"))
    def tier_count(self, scheme):
        return scheme.tier_total

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_create_draft": self._may_create_draft(request),
        }
        return super().changelist_view(request, extra_context)

    # --- a scheme's page ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        scheme = self.get_object(request, object_id)
        extra = {}
        if scheme is not None:
            extra = {
                "may_preview": scheme.status
                in (SchemeStatus.DRAFT, SchemeStatus.SCHEDULED),
                "may_schedule": self._may_schedule(request, scheme),
                "may_unschedule": self._may_unschedule(request, scheme),
                "scheme_problems": (
                    schemes_service.scheme_problems(scheme=scheme)
                    if scheme.is_editable
                    else []
                ),
            }
        extra_context = {
            **(extra_context or {}),
            **extra,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "new-draft/",
                wrap(self.new_draft_view),
                name="loyalty_tierscheme_new_draft",
            ),
            path(
                "<int:object_id>/preview/",
                wrap(self.preview_view),
                name="loyalty_tierscheme_preview",
            ),
            path(
                "<int:object_id>/schedule/",
                wrap(self.schedule_view),
                name="loyalty_tierscheme_schedule",
            ),
            path(
                "<int:object_id>/unschedule/",
                wrap(self.unschedule_view),
                name="loyalty_tierscheme_unschedule",
            ),
            *super().get_urls(),
        ]

    def _scheme_or_404(self, request, object_id) -> TierScheme:
        scheme = self.get_object(request, object_id)
        if scheme is None:
            raise Http404(gettext("This tier scheme does not exist."))
        return scheme

    def _change_url(self, scheme) -> str:
        return reverse("admin:loyalty_tierscheme_change", args=[scheme.pk])

    def _page(self, request, scheme, *, template, title, **extra):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": scheme,
                "scheme": scheme,
                "title": title,
                "subtitle": str(scheme),
                "has_view_permission": self.has_view_permission(request, scheme),
                **extra,
            },
        )

    def new_draft_view(self, request):
        """The button on the list: copy the active scheme into a new draft."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._may_create_draft(request):
            raise PermissionDenied
        try:
            draft = schemes_service.scheme_draft_from_active(actor=request.user)
        except ShopError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:loyalty_tierscheme_changelist"))
        self.log_addition(request, draft, gettext("Copied from the active scheme."))
        self.message_user(
            request,
            gettext(
                "A new draft “%(name)s” was made from the tiers in force. Edit "
                "its tiers below, preview it, then schedule it."
            )
            % {"name": draft.name},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(draft))

    def preview_view(self, request, object_id):
        """What applying the scheme would do to today's members; changes nothing."""
        scheme = self._scheme_or_404(request, object_id)
        if not self.has_view_permission(request, scheme):
            raise PermissionDenied
        try:
            preview = schemes_service.scheme_preview(scheme=scheme)
        except ShopError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(scheme))
        return self._page(
            request,
            scheme,
            template="admin/loyalty/tierscheme/preview.html",
            title=gettext("Preview of the new tier rules"),
            preview=preview,
            may_schedule=self._may_schedule(request, scheme),
        )

    def schedule_view(self, request, object_id):
        """Choose the day the scheme takes effect."""
        scheme = self._scheme_or_404(request, object_id)
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        if not scheme.is_editable:
            self.message_user(
                request,
                gettext(
                    "Only a draft can be scheduled. To change the day of a "
                    "scheduled scheme, take it back to draft first."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(self._change_url(scheme))
        if request.method == "POST":
            form = SchemeScheduleForm(request.POST)
            if form.is_valid():
                day = form.cleaned_data["effective_from"]
                try:
                    scheme = schemes_service.scheme_schedule(
                        scheme=scheme, effective_from=day, actor=request.user
                    )
                except ShopError as error:
                    field = error.field if error.field in form.fields else None
                    form.add_error(field, error.message)
                else:
                    self.log_change(
                        request,
                        scheme,
                        gettext("Scheduled from %(date)s.") % {"date": day.isoformat()},
                    )
                    self.message_user(
                        request,
                        gettext(
                            "“%(name)s” takes effect on %(date)s, when members "
                            "are placed in its tiers. Its tiers can no longer be "
                            "edited; “Back to draft” undoes this before that day."
                        )
                        % {"name": scheme.name, "date": day.isoformat()},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self._change_url(scheme))
        else:
            form = SchemeScheduleForm()
        return self._page(
            request,
            scheme,
            template="admin/loyalty/tierscheme/schedule.html",
            title=gettext("Schedule the tier scheme"),
            form=form,
        )

    def unschedule_view(self, request, object_id):
        """Take a scheduled scheme back to draft, before its day, to edit it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        scheme = self._scheme_or_404(request, object_id)
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        try:
            scheme = schemes_service.scheme_unschedule(
                scheme=scheme, actor=request.user
            )
        except ShopError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.log_change(request, scheme, gettext("Taken back to draft."))
            self.message_user(
                request,
                gettext(
                    "“%(name)s” is a draft again: it will not take effect until "
                    "you schedule it."
                )
                % {"name": scheme.name},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(scheme))
