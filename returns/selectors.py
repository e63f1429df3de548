"""Reads of returns: the policy, a shopper's returns, the exchange options,
the staff queue, histories.

Every list selector fetches its related rows with `select_related` /
`prefetch_related`, so a page of N requests costs the same number of queries
as a page of one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from returns.models import (
    ReturnEvent,
    ReturnLine,
    ReturnMethod,
    ReturnPolicy,
    ReturnRequest,
    ReturnStatus,
    ReturnUnit,
    SerialReturner,
)
from returns.status import OPEN_STATUSES
from shop.catalog.models import Product, Variant
from shop.orders.models import OrderLine
from shop.orders.status import OrderStatus

_POLICY_KEY = "returns:policy"
# With a shared cache (Redis) an edit reaches every worker at once; with the
# per-process default it reaches the others within this many seconds.
_POLICY_TIMEOUT = 60

# A return's units stop counting against the order line once it ends like this.
FREED_STATUSES = (ReturnStatus.REJECTED, ReturnStatus.CANCELLED, ReturnStatus.EXPIRED)
# The refund-deadline timer turns "soon" this many days before it runs out.
REFUND_DUE_SOON_DAYS = 3

# Staff queue filters: `params["age"]` (days since requested) and `params["due"]`.
QUEUE_AGES = {
    "today": (gettext_lazy("Less than a day"), 0, 1),
    "week": (gettext_lazy("1–7 days"), 1, 7),
    "older": (gettext_lazy("More than 7 days"), 7, None),
}
QUEUE_DUE = {
    "soon": gettext_lazy("Refund due within 3 days"),
    "overdue": gettext_lazy("Refund overdue"),
}


# The approval's note is staff's own ("for the timeline; the customer is not
# shown it"): the shopper's timeline leaves it out.
STAFF_NOTE_STATUSES = frozenset({ReturnStatus.APPROVED})


def event_note_for_shopper(event: ReturnEvent) -> str:
    """The note of `event` as the shopper's pages show it ("" for a staff note)."""
    return "" if event.to_status in STAFF_NOTE_STATUSES else event.note


def return_policy() -> ReturnPolicy:
    """The merchant's policy for new orders (row pk 1, created with defaults).

    Cached briefly: it is read on every return page and at every placement.
    `return_policy_cache_clear` (called by `return_policy_update`) drops it.
    """
    found = cache.get(_POLICY_KEY)
    if found is None:
        found, _created = ReturnPolicy.objects.get_or_create(pk=1)
        cache.set(_POLICY_KEY, found, _POLICY_TIMEOUT)
    return found


def return_policy_cache_clear() -> None:
    cache.delete(_POLICY_KEY)


def return_requests_with_details() -> QuerySet[ReturnRequest]:
    """Requests with their order, customer, lines, units, photos and reservations."""
    return ReturnRequest.objects.select_related("order", "user").prefetch_related(
        Prefetch(
            "lines",
            queryset=ReturnLine.objects.select_related(
                "order_line", "exchange_variant", "reservation"
            ).prefetch_related("units", "photos"),
        )
    )


def returns_for_user(*, user) -> QuerySet[ReturnRequest]:
    """A member's returns, newest first (nothing for an anonymous visitor)."""
    if user is None or not user.is_authenticated:
        return ReturnRequest.objects.none()
    return (
        return_requests_with_details().filter(user=user).order_by("-created_at", "-id")
    )


def return_for_user(*, user, number: str) -> ReturnRequest:
    """`user`'s return `number` with its events; DoesNotExist for anybody else's."""
    if user is None or not user.is_authenticated:
        raise ReturnRequest.DoesNotExist
    return (
        return_requests_with_details()
        .prefetch_related(
            Prefetch(
                "events", queryset=ReturnEvent.objects.order_by("created_at", "id")
            )
        )
        .get(user=user, number=(number or "").strip().upper())
    )


def return_for_guest(*, number: str, email: str) -> ReturnRequest | None:
    """The return with this RMA number whose order has this email, else None.

    Every mismatch answers None, so the door cannot tell a wrong number from
    a wrong address.
    """
    number = (number or "").strip().upper()
    email = (email or "").strip()
    if not number or not email:
        return None
    return (
        return_requests_with_details()
        .prefetch_related(
            Prefetch(
                "events", queryset=ReturnEvent.objects.order_by("created_at", "id")
            )
        )
        .filter(number=number)
        .filter(Q(order__email__iexact=email) | Q(email__iexact=email))
        .first()
    )


def returns_for_order(*, order) -> list[ReturnRequest]:
    """The returns asked for on `order`, newest first (for the order page)."""
    return list(return_requests_with_details().filter(order=order))


@dataclass(frozen=True)
class ExchangeOption:
    """An option of the bought product a returned line may be exchanged for."""

    variant_id: int
    label: str
    stock: int


def exchange_options(*, order) -> dict[int, list[ExchangeOption]]:
    """{order line id: other options of its product the line may be exchanged for}.

    Active options of an active product, not the one bought and not dearer
    than it was listed (an exchange moves no money), with their stock; one
    query for the whole order.
    """
    lines = [line for line in order.lines.all() if line.product_id]
    if not lines:
        return {}
    variants = Variant.objects.filter(
        product_id__in={line.product_id for line in lines},
        is_active=True,
        product__status=Product.Status.ACTIVE,
    ).order_by("position", "id")
    by_product = defaultdict(list)
    for variant in variants:
        by_product[variant.product_id].append(variant)
    options = {}
    for line in lines:
        options[line.pk] = [
            ExchangeOption(
                variant_id=variant.pk,
                label=variant.options_label or variant.sku,
                stock=variant.stock,
            )
            for variant in by_product[line.product_id]
            if variant.pk != line.variant_id and variant.price <= line.list_unit_price
        ]
    return options


def staff_queue(
    *, params: Mapping, now: datetime | None = None
) -> QuerySet[ReturnRequest]:
    """The back office's queue, filtered by `params` (a dict or a QueryDict).

    Filters: `status` (a status, or "open" for every unfinished one),
    `reason` (any line with that reason), `resolution`, `method`, `age`
    (a key of QUEUE_AGES: days since requested), `due` ("soon": the refund
    is due within REFUND_DUE_SOON_DAYS days; "overdue") and `q` (RMA number,
    order number or email). Unknown values are ignored. Requests whose refund
    is due first come first, then the oldest. Each row carries `units_count`.
    """
    now = now or timezone.now()
    rows = return_requests_with_details().annotate(units_count=Sum("lines__quantity"))
    status = params.get("status") or ""
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status in ReturnStatus.values:
        rows = rows.filter(status=status)
    reason = params.get("reason") or ""
    if reason:
        rows = rows.filter(
            Exists(ReturnLine.objects.filter(request=OuterRef("pk"), reason=reason))
        )
    for key in ("resolution", "method"):
        value = params.get(key) or ""
        if value:
            rows = rows.filter(**{key: value})
    age = QUEUE_AGES.get(params.get("age") or "")
    if age is not None:
        _label, low, high = age
        if low:
            rows = rows.filter(created_at__lte=now - timedelta(days=low))
        if high is not None:
            rows = rows.filter(created_at__gt=now - timedelta(days=high))
    due = params.get("due") or ""
    unresolved = Q(status__in=OPEN_STATUSES, refund_due_by__isnull=False)
    if due == "soon":
        rows = rows.filter(
            unresolved,
            refund_due_by__gte=now,
            refund_due_by__lt=now + timedelta(days=REFUND_DUE_SOON_DAYS),
        )
    elif due == "overdue":
        rows = rows.filter(unresolved, refund_due_by__lt=now)
    query = (params.get("q") or "").strip()
    if query:
        rows = rows.filter(
            Q(number__iexact=query)
            | Q(order__number__iexact=query)
            | Q(email__iexact=query)
        )
    return rows.order_by(F("refund_due_by").asc(nulls_last=True), "created_at", "id")


def refund_deadline_state(
    *, request: ReturnRequest, now: datetime | None = None
) -> str:
    """ "overdue", "soon" (within REFUND_DUE_SOON_DAYS days) or "" for the timer."""
    if request.refund_due_by is None or request.status not in OPEN_STATUSES:
        return ""
    now = now or timezone.now()
    if request.refund_due_by < now:
        return "overdue"
    if request.refund_due_by < now + timedelta(days=REFUND_DUE_SOON_DAYS):
        return "soon"
    return ""


@dataclass(frozen=True)
class ReturnHistory:
    """A customer's returns so far, shown beside each request in the queue."""

    requests: int
    units_returned: int
    units_bought: int
    flagged: bool

    @property
    def rate(self) -> Decimal:
        """Units returned per 100 bought (0 when nothing was bought)."""
        if not self.units_bought:
            return Decimal("0")
        return (Decimal(self.units_returned) * 100 / self.units_bought).quantize(
            Decimal("0.1")
        )


def return_history_for_customers(
    *, user_ids: Iterable[int]
) -> dict[int, ReturnHistory]:
    """{user id: ReturnHistory} in four queries, whatever the number of users.

    Requests count unless rejected, cancelled or expired; units bought count
    over the customer's orders that were not cancelled. Users without an
    account (None) are skipped.
    """
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    requests = dict(
        ReturnRequest.objects.filter(user_id__in=ids)
        .exclude(status__in=FREED_STATUSES)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    returned = dict(
        ReturnUnit.objects.filter(line__request__user_id__in=ids)
        .exclude(line__request__status__in=FREED_STATUSES)
        .order_by()
        .values("line__request__user_id")
        .annotate(n=Count("pk"))
        .values_list("line__request__user_id", "n")
    )
    bought = dict(
        OrderLine.objects.filter(order__user_id__in=ids)
        .exclude(order__status=OrderStatus.CANCELLED)
        .order_by()
        .values("order__user_id")
        .annotate(n=Sum("quantity"))
        .values_list("order__user_id", "n")
    )
    flagged = set(
        SerialReturner.objects.filter(
            user_id__in=ids, cleared_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    return {
        pk: ReturnHistory(
            requests=requests.get(pk, 0),
            units_returned=returned.get(pk, 0),
            units_bought=bought.get(pk) or 0,
            flagged=pk in flagged,
        )
        for pk in ids
    }


@dataclass(frozen=True)
class ReturnInstructions:
    """How the shopper sends a request back: shown on its page and emailed."""

    method: str
    method_label: str
    code: str
    ship_by: datetime | None
    address: dict
    steps: list[str]


def return_address() -> dict:
    """Where self-shipped returns go (settings.RETURN_ADDRESS)."""
    return {
        "name": "",
        "phone": "",
        "postal_code": "",
        "address": "",
        **getattr(settings, "RETURN_ADDRESS", {}),
    }


def return_instructions(*, request: ReturnRequest) -> ReturnInstructions | None:
    """The steps for an approved request's method, in the active language.

    None before approval (there is nothing to do yet) and after the parcel
    has left.
    """
    if request.status != ReturnStatus.APPROVED:
        return None
    order = request.order
    by = (
        formats.date_format(timezone.localtime(request.ship_by), "DATE_FORMAT")
        if request.ship_by
        else ""
    )
    values = {"number": request.number, "code": request.return_code, "date": by}
    address = {}
    if request.method == ReturnMethod.CVS_CODE:
        steps = [
            _(
                "Take the parcel to a 7-ELEVEN or FamilyMart by %(date)s and give "
                "the return code %(code)s at the counter."
            )
            % values
        ]
    elif request.method == ReturnMethod.PICKUP:
        pickup = {
            **values,
            "phone": order.recipient_phone,
            "address": " ".join(
                part
                for part in (
                    order.postal_code,
                    order.city,
                    order.district,
                    order.street,
                )
                if part
            ),
        }
        steps = [
            _(
                "A courier will call you at %(phone)s to collect the parcel from "
                "%(address)s by %(date)s."
            )
            % pickup
        ]
    else:
        address = return_address()
        steps = [
            _("Send the parcel by %(date)s to the address below.") % values,
            _("Keep the receipt and enter the tracking number on the return page."),
        ]
    steps.append(_("Write the return number %(number)s on the parcel.") % values)
    return ReturnInstructions(
        method=request.method,
        method_label=str(ReturnMethod(request.method).label),
        code=request.return_code,
        ship_by=request.ship_by,
        address=address,
        steps=steps,
    )
