"""The returns' part of the demo shop, run by `manage.py seed_demo` after loyalty's.

Registered with the shop's demo seam (`shop.demo.extensions`) when
`seed_demo` imports it. Written through the real services
(`returns.demo.writer`), as of the days it happened:

1. Twelve guests (guest1@example.com …, orders without an account) buy over
   the last two months, mostly linen shirts and trousers in sizes; seven send
   something back: one exchange (S for L), refunds to the card and by bank
   transfer, one parcel received and waiting for inspection, and one request
   waiting for staff.
2. Every other history order of the members (the loyalty demo's, delivered
   in the last 90 days) gets a return of one unit, by turns refunded,
   credited, exchanged or approved. member1 and member2 keep the stories the
   loyalty demo documents: member1's order delivered two days ago is still
   in its cooling-off period, for the README's return.

So the analytics dashboard compares members with non-members from the shop's
own orders. Running the seed again changes nothing: a guest's order is found
by its idempotency key, a return is not asked twice, and the members' returns
are written only when none exists. No email is sent. `returns_demo_reset`
deletes the demo's returns, refunds and guests' orders.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from returns.analytics import analytics_period, rates_by_membership
from returns.demo.stories import (
    GUEST_EMAIL_REGEX,
    GUEST_ORDERS,
    MEMBER_DAYS,
    MEMBER_EVERY,
    MEMBER_TURNS,
    MEMBERS_UNTOUCHED,
    DemoReturn,
)
from returns.demo.writer import Skip, Writer
from returns.models import (
    Refund,
    ReturnMethod,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
)
from returns.services import line_return_windows
from shop.accounts.models import User
from shop.core.errors import ShopError
from shop.demo.extensions import DemoStep, DemoStepResult, register_demo_step
from shop.demo.history import background_tasks_dropped
from shop.demo.plan import shopper_email
from shop.demo.services import DEMO_SHOPPER_EMAIL_REGEX
from shop.demo.services.batches import Progress, no_progress
from shop.orders.models import Order
from shop.orders.status import OrderStatus

RETURNS_STAFF_EMAIL = "returns@example.com"
_METHODS = (ReturnMethod.CVS_CODE, ReturnMethod.PICKUP, ReturnMethod.SELF_SHIP)
_OPTION_REASONS = (ReturnReason.WRONG_SIZE, ReturnReason.WRONG_COLOUR)

__all__ = ["returns_demo_reset", "returns_demo_seed"]


def _demo_orders():
    return Order.objects.filter(
        Q(user__email__regex=DEMO_SHOPPER_EMAIL_REGEX, user__is_staff=False)
        | Q(user__isnull=True, email__regex=GUEST_EMAIL_REGEX)
    )


def _member_returns(writer: Writer, now: datetime.datetime) -> tuple[int, list[str]]:
    """Returns on every `MEMBER_EVERY`th member order; (written, skipped notes)."""
    untouched = [shopper_email(n) for n in MEMBERS_UNTOUCHED]
    members = Q(user__email__regex=DEMO_SHOPPER_EMAIL_REGEX, user__is_staff=False)
    if (
        ReturnRequest.objects.filter(order__in=Order.objects.filter(members))
        .exclude(order__user__email__in=untouched)
        .exists()
    ):
        return 0, []
    orders = (
        Order.objects.filter(
            members,
            status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED),
            delivered_at__gte=now - datetime.timedelta(days=MEMBER_DAYS),
            delivered_at__lte=now - datetime.timedelta(days=2),
        )
        .exclude(user__email__in=untouched)
        .select_related("user")
        .order_by("delivered_at", "pk")
    )
    written, skipped = 0, []
    for index, order in enumerate(orders):
        if index % MEMBER_EVERY:
            continue
        reason, resolution, until = MEMBER_TURNS[written % len(MEMBER_TURNS)]
        line = order.lines.select_related("product").order_by("pk").first()
        if reason in _OPTION_REASONS and (
            line.product is None or line.product.variants.count() < 2
        ):
            # A body wash has no size or colour to get wrong.
            reason = ReturnReason.CHANGED_MIND
        try:
            with transaction.atomic():
                request = writer.return_(
                    order=order,
                    line=line,
                    story=DemoReturn(line.sku, reason, resolution, until),
                    method=_METHODS[written % len(_METHODS)],
                )
        except (Skip, ShopError) as exc:
            skipped.append(f"{order.number}: {getattr(exc, 'message', exc)}")
            continue
        written += request is not None
    return written, skipped


def _notes(now: datetime.datetime) -> list[str]:
    site = settings.SITE_URL.rstrip("/")
    requests = ReturnRequest.objects.filter(order__in=_demo_orders())
    by_members = requests.filter(order__user__isnull=False).count()
    notes = [
        f"Returns: {by_members} by members, {requests.count() - by_members} "
        "by guests (guest1@example.com …)"
    ]
    for waiting in requests.filter(status=ReturnStatus.REQUESTED).order_by("pk"):
        notes.append(
            f"Waiting for staff: {waiting.number} ({waiting.email}) "
            f"{site}/admin/returns/returnrequest/{waiting.pk}/change/"
        )
    rates = rates_by_membership(period=analytics_period(days=30, now=now))
    notes.append(
        f"Last 30 days: members return {rates.members.rate}% of units, "
        f"non-members {rates.guests.rate}%: {site}/admin/returns/analytics/ "
        f"({RETURNS_STAFF_EMAIL})"
    )
    member1 = User.objects.filter(email=shopper_email(1)).first()
    order = (
        Order.objects.filter(user=member1, status=OrderStatus.DELIVERED)
        .order_by("-delivered_at")
        .first()
        if member1
        else None
    )
    if order is not None:
        windows = line_return_windows(order=order, now=now).values()
        ends = [w.cooling_off_ends for w in windows if w.returnable_quantity]
        if ends and all(w.in_cooling_off for w in windows):
            notes.append(
                f"{member1.email} can return order {order.number} (cooling-off "
                f"until {timezone.localtime(min(ends)):%Y-%m-%d}): "
                f"{site}/returns/new/{order.number}/"
            )
    return notes


def returns_demo_seed(
    *, customers: int, progress: Progress = no_progress
) -> DemoStepResult:
    """Guests' orders and returns, then the members' returns (see the module)."""
    now = timezone.now()
    before = ReturnRequest.objects.count()
    writer = Writer(
        staff=User.objects.filter(email=RETURNS_STAFF_EMAIL).first(), now=now
    )
    skipped = []
    # The history is the past: nobody is emailed about it.
    with background_tasks_dropped():
        for planned in GUEST_ORDERS:
            try:
                writer.guest_story(planned)
            except (Skip, ShopError) as exc:
                skipped.append(f"guest{planned.number}: {getattr(exc, 'message', exc)}")
        _written, member_skipped = _member_returns(writer, now)
    progress(customers)
    notes = [f"Return skipped for {line}" for line in skipped + member_skipped]
    return DemoStepResult(
        label="Returns",
        total=ReturnRequest.objects.count(),
        created=ReturnRequest.objects.count() - before,
        notes=tuple(notes + _notes(now)),
    )


def returns_demo_reset() -> int:
    """Delete the demo's returns (with their refunds) and the guests' orders.

    Refunds first: they protect the requests and the order lines they paid
    back. Photo files go once the transaction commits. Returns how many
    return requests were deleted.
    """
    orders = _demo_orders()
    requests = ReturnRequest.objects.filter(order__in=orders)
    with transaction.atomic():
        photos = list(
            ReturnPhoto.objects.filter(line__request__in=requests).values_list(
                "image", flat=True
            )
        )
        Refund.objects.filter(order__in=orders).delete()
        deleted = requests.count()
        requests.delete()
        Order.objects.filter(user__isnull=True, email__regex=GUEST_EMAIL_REGEX).delete()
        transaction.on_commit(lambda: _files_delete(photos))
    return deleted


def _files_delete(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


register_demo_step(
    DemoStep(
        key="returns",
        label="Returns",
        order=30,
        seed=returns_demo_seed,
        reset=returns_demo_reset,
    )
)
