"""The orders back office: find orders, move them along, print and export them.

Orders are records of what was sold, so every field is read-only here; a
status moves only through the actions, which call `shop.orders.services` and
turn a refused move into a message on the page. The changelist reads item
counts and payment status as subqueries, so a page costs the same queries
whatever its length.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.forms import formset_factory
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from shop.core.context_processors import shop_name
from shop.core.errors import ShopError
from shop.core.money import format_money
from shop.orders import selectors, services
from shop.orders.admin.filters import (
    PaymentMethodFilter,
    PaymentStatusFilter,
    ShippingMethodFilter,
)
from shop.orders.admin.inlines import (
    OrderAdjustmentInline,
    OrderEventInline,
    OrderLineInline,
    PaymentInline,
)
from shop.orders.exports import orders_csv_rows
from shop.orders.forms import AdminShipForm, CancelForm, carrier_suggestions
from shop.orders.models import (
    Order,
)
from shop.orders.status import OrderStatus, PaymentStatus, order_can_move

# --- Actions ----------------------------------------------------------------------

TRANSITION_ACTIONS = {
    # action name → (service, success message for n orders)
    "mark_paid": (
        services.order_mark_paid,
        lambda n: ngettext("%(n)d order marked paid.", "%(n)d orders marked paid.", n),
    ),
    "start_processing": (
        services.order_start_processing,
        lambda n: ngettext(
            "%(n)d order moved to processing.", "%(n)d orders moved to processing.", n
        ),
    ),
    "mark_delivered": (
        services.order_mark_delivered,
        lambda n: ngettext(
            "%(n)d order marked delivered.", "%(n)d orders marked delivered.", n
        ),
    ),
    "complete": (
        services.order_complete,
        lambda n: ngettext("%(n)d order completed.", "%(n)d orders completed.", n),
    ),
}

ShipFormSet = formset_factory(AdminShipForm, extra=0)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "placed_at",
        "customer",
        "status_badge",
        "payment_status_display",
        "payment_method_display",
        "shipping_method_name",
        "item_count_display",
        "total_display",
        "tracking_number",
    )
    list_filter = (
        "status",
        PaymentStatusFilter,
        PaymentMethodFilter,
        ShippingMethodFilter,
        "placed_at",
    )
    search_fields = (
        "=number",
        "email",
        "customer_name",
        "phone",
        "recipient_name",
        "recipient_phone",
        "=tracking_number",
    )
    list_select_related = ("user",)
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-placed_at", "-id")
    inlines = (OrderLineInline, OrderAdjustmentInline, PaymentInline, OrderEventInline)
    actions = (
        "mark_paid",
        "start_processing",
        "ship",
        "mark_delivered",
        "complete",
        "cancel",
        "print_packing_slips",
        "export_csv",
    )
    change_form_template = "orders/admin/change_form.html"
    fieldsets = (
        (
            None,
            {"fields": ("number", "status", "placed_at", "language", "user")},
        ),
        (
            _("Customer"),
            {"fields": ("customer_name", "email", "phone", "customer_note")},
        ),
        (
            _("Delivery"),
            {
                "fields": (
                    "shipping_method_name",
                    "shipping_kind",
                    "recipient_name",
                    "recipient_phone",
                    "postal_code",
                    "city",
                    "district",
                    "street",
                    "pickup_store_code",
                    "pickup_store_name",
                    "carrier",
                    "tracking_number",
                )
            },
        ),
        (
            _("Amounts"),
            {
                "fields": (
                    "payment_method_display",
                    "currency",
                    "subtotal",
                    "discount_total",
                    "shipping_total",
                    "total",
                )
            },
        ),
        (
            _("Dates"),
            {
                "fields": (
                    "paid_at",
                    "shipped_at",
                    "delivered_at",
                    "cooling_off_ends",
                    "completed_at",
                    "cancelled_at",
                )
            },
        ),
        (
            _("Return policy shown at checkout"),
            {
                "classes": ("collapse",),
                "fields": ("return_policy_version", "return_policy_text"),
            },
        ),
    )

    # --- reading ---

    def get_queryset(self, request):
        return selectors.orders_annotated()

    def get_readonly_fields(self, request, obj=None):
        fields = [
            name for _title, options in self.fieldsets for name in options["fields"]
        ]
        return fields

    def has_add_permission(self, request):
        # Orders are placed at checkout; the back office never invents one.
        return False

    def has_delete_permission(self, request, obj=None):
        # An order is a record of a sale: cancel it instead.
        return False

    @admin.display(description=_("customer"), ordering="customer_name")
    def customer(self, order):
        if order.user_id:
            return format_html(
                "{} <small>({})</small>", order.customer_name, gettext("member")
            )
        return format_html(
            "{} <small>({})</small>", order.customer_name, gettext("guest")
        )

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, order):
        return format_html(
            '<span class="order-status order-status-{}">{}</span>',
            order.status,
            order.get_status_display(),
        )

    @admin.display(description=_("payment"))
    def payment_status_display(self, order):
        status = getattr(order, "payment_status", None)
        return PaymentStatus(status).label if status else "—"

    @admin.display(description=_("payment method"), ordering="payment_method")
    def payment_method_display(self, order):
        return selectors.payment_method_label(order.payment_method)

    @admin.display(description=_("items"))
    def item_count_display(self, order):
        return getattr(order, "item_count", None) or 0

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, order):
        return format_money(order.total, order.currency)

    @admin.display(description=_("cooling-off period ends"))
    def cooling_off_ends(self, order):
        ends = selectors.order_cooling_off_ends(order=order)
        return timezone.localtime(ends).strftime("%Y-%m-%d %H:%M") if ends else "—"

    # --- moving orders along ---

    def _run(self, request, orders, service, success=None, **kwargs) -> int:
        """Call `service` per order; a refused move is reported, the rest go on.

        `success(n)` is the message for n orders moved; None reports nothing.
        """
        done = 0
        for order in orders:
            try:
                service(order=order, actor=request.user, **kwargs)
            except ShopError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                done += 1
        if done and success is not None:
            self.message_user(request, success(done) % {"n": done}, messages.SUCCESS)
        return done

    def _transition(self, request, queryset, name):
        service, success = TRANSITION_ACTIONS[name]
        self._run(request, queryset.order_by("pk"), service, success)

    @admin.action(description=_("Mark paid"), permissions=["change"])
    def mark_paid(self, request, queryset):
        self._transition(request, queryset, "mark_paid")

    @admin.action(description=_("Start processing"), permissions=["change"])
    def start_processing(self, request, queryset):
        self._transition(request, queryset, "start_processing")

    @admin.action(description=_("Mark delivered"), permissions=["change"])
    def mark_delivered(self, request, queryset):
        self._transition(request, queryset, "mark_delivered")

    @admin.action(
        description=_("Complete (after the cooling-off period)"), permissions=["change"]
    )
    def complete(self, request, queryset):
        self._transition(request, queryset, "complete")

    def _intermediate(self, request, queryset, *, action, template, title, context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "orders": queryset,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "select_across": request.POST.get("select_across", "0"),
                "carriers": carrier_suggestions(),
                **context,
            },
        )

    @admin.action(
        description=_("Ship (enter carrier and tracking number)"),
        permissions=["change"],
    )
    def ship(self, request, queryset):
        orders = list(queryset.order_by("pk"))
        by_id = {str(order.pk): order for order in orders}
        if "apply" in request.POST:
            formset = ShipFormSet(request.POST, prefix="ship")
            if formset.is_valid():
                done = 0
                for form in formset:
                    order = by_id.get(form.cleaned_data["order_id"])
                    if order is not None:
                        done += self._run(
                            request,
                            [order],
                            services.order_ship,
                            carrier=form.cleaned_data["carrier"],
                            tracking_number=form.cleaned_data["tracking_number"],
                        )
                if done:
                    self.message_user(
                        request,
                        ngettext("%(n)d order shipped.", "%(n)d orders shipped.", done)
                        % {"n": done},
                        messages.SUCCESS,
                    )
                return None
        else:
            formset = ShipFormSet(
                prefix="ship",
                initial=[
                    {
                        "order_id": str(order.pk),
                        "carrier": order.carrier,
                        "tracking_number": order.tracking_number,
                    }
                    for order in orders
                ],
            )
        rows = [(by_id.get(str(form["order_id"].value())), form) for form in formset]
        return self._intermediate(
            request,
            queryset,
            action="ship",
            template="orders/admin/ship.html",
            title=gettext("Ship orders"),
            context={"formset": formset, "rows": rows},
        )

    @admin.action(description=_("Cancel and restock"), permissions=["change"])
    def cancel(self, request, queryset):
        if "apply" in request.POST:
            form = CancelForm(request.POST)
            if form.is_valid():
                self._run(
                    request,
                    queryset.order_by("pk"),
                    services.order_cancel,
                    lambda n: ngettext(
                        "%(n)d order cancelled and restocked.",
                        "%(n)d orders cancelled and restocked.",
                        n,
                    ),
                    reason=form.cleaned_data["reason"],
                )
                return None
        else:
            form = CancelForm()
        return self._intermediate(
            request,
            queryset.order_by("pk"),
            action="cancel",
            template="orders/admin/cancel.html",
            title=gettext("Cancel orders"),
            context={"form": form},
        )

    @admin.action(description=_("Print packing slips"), permissions=["view"])
    def print_packing_slips(self, request, queryset):
        return self._packing_slips(request, queryset)

    @admin.action(
        description=_("Export to CSV (one row per order)"), permissions=["view"]
    )
    def export_csv(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            orders_csv_rows(queryset.order_by("placed_at", "pk")),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="orders-{stamp}.csv"'
        return response

    # --- single-order pages ---

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/packing-slip/",
                wrap(self.packing_slip_view),
                name="orders_order_packing_slip",
            ),
            path(
                "<int:object_id>/do/<str:action>/",
                wrap(self.transition_view),
                name="orders_order_transition",
            ),
            *super().get_urls(),
        ]

    def _packing_slips(self, request, queryset):
        orders = (
            selectors.orders_with_details()
            .filter(pk__in=queryset.values("pk"))
            .order_by("placed_at", "pk")
        )
        return TemplateResponse(
            request,
            "orders/admin/packing_slip.html",
            {
                "orders": [
                    (order, selectors.order_summary(order=order)) for order in orders
                ],
                "shop_name": shop_name(),
                "title": gettext("Packing slips"),
            },
        )

    def packing_slip_view(self, request, object_id):
        order = get_object_or_404(Order, pk=object_id)
        if not self.has_view_or_change_permission(request, order):
            raise PermissionDenied
        return self._packing_slips(request, Order.objects.filter(pk=order.pk))

    def transition_view(self, request, object_id, action):
        """The change page's buttons: the same actions, on one order."""
        if action not in (*TRANSITION_ACTIONS, "ship", "cancel"):
            raise Http404
        order = get_object_or_404(Order, pk=object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        back = reverse("admin:orders_order_change", args=[order.pk])
        if request.method != "POST" and action in TRANSITION_ACTIONS:
            return HttpResponseRedirect(back)
        response = getattr(self, action)(
            request, self.get_queryset(request).filter(pk=order.pk)
        )
        return response or HttpResponseRedirect(back)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        buttons = []
        if order is not None and self.has_change_permission(request, order):
            buttons = self._buttons(order)
        extra_context = {
            **(extra_context or {}),
            "order_buttons": buttons,
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _buttons(self, order) -> list[tuple[str, str, bool]]:
        """(action, label, needs a form) for each move the order can make now."""
        status = order.status
        buttons = []
        if status == OrderStatus.PENDING_PAYMENT or (
            status in (OrderStatus.PROCESSING, OrderStatus.SHIPPED)
            and order.payments.filter(
                status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]
            ).exists()
        ):
            buttons.append(("mark_paid", gettext("Mark paid"), False))
        if status == OrderStatus.PAID or (
            status == OrderStatus.PENDING_PAYMENT
            and selectors.payment_collects_on_delivery(
                selectors.order_payment_open(order=order)
            )
        ):
            buttons.append(("start_processing", gettext("Start processing"), False))
        if status in (OrderStatus.PAID, OrderStatus.PROCESSING):
            buttons.append(("ship", gettext("Ship"), True))
        if order_can_move(status, OrderStatus.DELIVERED):
            buttons.append(("mark_delivered", gettext("Mark delivered"), False))
        if order_can_move(status, OrderStatus.COMPLETED):
            buttons.append(("complete", gettext("Complete"), False))
        if order_can_move(status, OrderStatus.CANCELLED):
            buttons.append(("cancel", gettext("Cancel and restock"), True))
        return buttons
