"""API shapes of the staff endpoints: the queue, a request, the moves' input.

Output reads rows from `returns.selectors.staff_queue` and
`returns.admin.staff.staff_return`; what is not on the row comes in the
serializer's context: `histories` ({user id: ReturnHistory}) for the queue,
and for the detail `moves`, `others` (the customer's other returns) and
`history`. The bank account only ever leaves masked (`bank_account_masked`).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from returns.admin.staff import MOVES, unit_counts
from returns.models import (
    Resolution,
    ReturnMethod,
    ReturnReason,
    ReturnStatus,
    UnitCondition,
)
from returns.selectors import QUEUE_AGES, QUEUE_DUE, refund_deadline_state
from returns.serializers import (
    ContextMoneyField,
    ExchangeVariantSerializer,
    PreviewLineSerializer,
    RefundPreviewSerializer,
    RefundSerializer,
    ReturnItemSerializer,
    absolute_url,
    photo_urls,
)
from returns.services.refunds import bank_account_masked
from shop.core.api import DecimalMoneyAmountField

# --- Input --------------------------------------------------------------------


class QueueFilterSerializer(serializers.Serializer):
    """The queue's filters (`returns.selectors.staff_queue`), all optional."""

    status = serializers.ChoiceField(
        choices=[("open", "Open"), *ReturnStatus.choices],
        required=False,
        help_text='A status, or "open" for every unfinished return.',
    )
    reason = serializers.ChoiceField(choices=ReturnReason.choices, required=False)
    resolution = serializers.ChoiceField(choices=Resolution.choices, required=False)
    method = serializers.ChoiceField(choices=ReturnMethod.choices, required=False)
    age = serializers.ChoiceField(
        choices=[(key, str(label)) for key, (label, _lo, _hi) in QUEUE_AGES.items()],
        required=False,
        help_text="Days since the return was asked for.",
    )
    due = serializers.ChoiceField(
        choices=[(key, str(label)) for key, label in QUEUE_DUE.items()],
        required=False,
        help_text="The refund deadline: within 3 days, or passed.",
    )
    q = serializers.CharField(
        required=False,
        max_length=254,
        help_text="An RMA number, order number or email address (exact).",
    )


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Emailed to the customer."
    )


class ReceiveSerializer(serializers.Serializer):
    received = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of the units in the parcel.",
    )
    missing = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of the units missing from it.",
    )


class UnitConditionSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    condition = serializers.ChoiceField(choices=UnitCondition.choices)


class InspectSerializer(serializers.Serializer):
    conditions = UnitConditionSerializer(
        many=True,
        help_text="The condition of each received unit inspected now. Empty when "
        "only missing units are left.",
    )


class RefundIssueSerializer(serializers.Serializer):
    idempotency_key = serializers.RegexField(
        r"^[A-Za-z0-9:_\-.]{8,120}$",
        required=False,
        help_text="Sending the same key again returns the same refund. The "
        "`Idempotency-Key` header does the same. Default: the key of the "
        "units refunded (`idempotency_key` of the refund preview).",
    )


class TransferPaidSerializer(serializers.Serializer):
    refund = serializers.IntegerField(help_text="The refund's `id`.")
    reference = serializers.CharField(
        max_length=100, help_text="The bank's reference of the transfer."
    )


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


# --- Output -------------------------------------------------------------------


class HistorySerializer(serializers.Serializer):
    requests = serializers.IntegerField()
    units_returned = serializers.IntegerField()
    units_bought = serializers.IntegerField()
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, help_text="Units returned per 100 bought."
    )
    flagged = serializers.BooleanField(help_text="Flagged as a serial returner.")


class StaffCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user_id", allow_null=True)
    name = serializers.CharField(source="order.customer_name")
    email = serializers.EmailField()
    member = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    def get_member(self, obj) -> bool:
        return obj.user_id is not None

    @extend_schema_field(HistorySerializer(allow_null=True))
    def get_history(self, obj):
        found = (self.context.get("histories") or {}).get(obj.user_id)
        return HistorySerializer(found).data if found is not None else None


class QueueItemSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="The RMA number.")
    order = serializers.CharField(source="order.number")
    customer = StaffCustomerSerializer(source="*")
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    method = serializers.ChoiceField(choices=ReturnMethod.choices)
    reasons = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    units_received = serializers.SerializerMethodField()
    units_total = serializers.SerializerMethodField()
    refund_due_by = serializers.DateTimeField(allow_null=True)
    refund_deadline = serializers.SerializerMethodField(
        help_text='"soon" (due within 3 days), "overdue", or "".'
    )
    url = serializers.SerializerMethodField()

    def get_reasons(self, obj) -> list[str]:
        found = []
        for line in obj.lines.all():
            if line.reason not in found:
                found.append(line.reason)
        return found

    def get_units_received(self, obj) -> int:
        return unit_counts(obj)[0]

    def get_units_total(self, obj) -> int:
        return unit_counts(obj)[1]

    def get_refund_deadline(self, obj) -> str:
        now = self.context.setdefault("now", timezone.now())
        return refund_deadline_state(request=obj, now=now)

    def get_url(self, obj) -> str:
        path = reverse("api-staff-return", kwargs={"number": obj.number})
        return absolute_url(self.context, path)


class StaffUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit_index = serializers.IntegerField()
    received_at = serializers.DateTimeField(allow_null=True)
    missing = serializers.BooleanField()
    condition = serializers.CharField(help_text="Blank until inspected.")
    inspected_at = serializers.DateTimeField(allow_null=True)
    restocked = serializers.BooleanField()


class StaffLineSerializer(ReturnItemSerializer):
    id = serializers.IntegerField()
    reason_text = serializers.CharField()
    in_cooling_off = serializers.BooleanField()
    exchange_variant = ExchangeVariantSerializer(allow_null=True)
    photos = serializers.SerializerMethodField()
    units = StaffUnitSerializer(source="units.all", many=True)

    def get_photos(self, line) -> list[str]:
        return photo_urls(self.context, line)


class StaffEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(source="actor.email", default=None, allow_null=True)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class StaffNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.email", default=None, allow_null=True)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class StaffRefundSerializer(RefundSerializer):
    id = serializers.IntegerField()
    idempotency_key = serializers.CharField()
    gateway_reference = serializers.CharField()
    breakdown = serializers.JSONField(
        help_text="Every figure of the refund as `refund_preview` computed it; "
        "a bank account only masked."
    )


class OtherReturnSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    created_at = serializers.DateTimeField()
    units = serializers.IntegerField(source="units_count", default=0)
    refunded = DecimalMoneyAmountField(currency_from="order.currency")


class StaffReturnDetailSerializer(QueueItemSerializer):
    """A request for staff; the context gives `moves`, `others`, `history`."""

    email = serializers.EmailField()
    return_code = serializers.CharField()
    tracking_number = serializers.CharField()
    shopper_note = serializers.CharField()
    rejection_reason = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    ship_by = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    bank_account = serializers.SerializerMethodField(
        help_text="Masked: bank code, holder and the last 4 digits only."
    )
    lines = StaffLineSerializer(source="lines.all", many=True)
    events = StaffEventSerializer(source="events.all", many=True)
    notes = StaffNoteSerializer(source="notes.all", many=True)
    refunds = StaffRefundSerializer(source="refunds.all", many=True)
    other_returns = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField(
        help_text="The moves the signed-in staff member can make now."
    )

    def get_bank_account(self, obj) -> str:
        return bank_account_masked(obj)

    @extend_schema_field(OtherReturnSerializer(many=True))
    def get_other_returns(self, obj):
        return OtherReturnSerializer(self.context.get("others", []), many=True).data

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(MOVES)))
    )
    def get_moves(self, obj):
        return [move.name for move in self.context.get("moves", [])]


class StaffPreviewLineSerializer(PreviewLineSerializer):
    unit_indexes = serializers.ListField(child=serializers.IntegerField())
    points_paid = ContextMoneyField()
    points = serializers.IntegerField()
    credit_paid = ContextMoneyField()
    cash = ContextMoneyField()


class StaffRefundPreviewSerializer(RefundPreviewSerializer):
    """Every figure of the refund staff confirm, and the key to confirm it with."""

    lines = StaffPreviewLineSerializer(many=True)
    value = ContextMoneyField(help_text="The units' value after discounts.")
    shipping_points_paid = ContextMoneyField(source="shipping.points_paid")
    shipping_credit_paid = ContextMoneyField(source="shipping.credit_paid")
    credit_restored = ContextMoneyField(help_text="Credit paid with, given back.")
    credit_converted = ContextMoneyField(
        help_text="The rest, as shopping credit (the customer chose credit)."
    )
    points_short = serializers.IntegerField(
        source="points_reversal.short",
        help_text="Earned points taken back that were already spent.",
    )
    reversed_points_rule = serializers.CharField()
    spend_reduction = ContextMoneyField(help_text="Qualifying spend taken off.")
    completes_order = serializers.BooleanField()
    idempotency_key = serializers.SerializerMethodField(
        help_text="Send it with the refund to make exactly this refund, once."
    )

    def get_idempotency_key(self, preview) -> str:
        return self.context.get("key", "")
