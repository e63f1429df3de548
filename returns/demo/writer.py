"""Writing the returns demo with the real services, as of the days it happened.

Guests' orders are placed through checkout and taken to delivery through the
order services; every return goes through `return_request_create` and the
staff's services (approve, ship, receive, inspect, refund or exchange,
close), each as of its own moment (`shop.demo.history.demo_clock`). A step
that would fall after now is not written: the return waits there, as a
real one would.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from returns import services
from returns.demo.stories import (
    APPROVED,
    CLOSED,
    RECEIVED,
    REQUESTED,
    RESOLVED,
    STEPS,
    DemoReturn,
    GuestOrder,
    guest_email,
)
from returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    ReturnMethod,
    ReturnReason,
    ReturnRequest,
    UnitCondition,
)
from returns.services.refunds import refund_issue, refund_transfer_paid
from returns.services.requests import BANK_TRANSFER_METHODS
from shop.accounts.models import User
from shop.catalog.models import Variant
from shop.checkout.details import contact_validate, shipping_validate
from shop.checkout.models import ShippingMethod
from shop.checkout.services import order_place
from shop.core.shopper import shopper_for_user
from shop.demo.history import demo_clock
from shop.orders.models import Order, OrderLine
from shop.orders.selectors import order_cooling_off_ends
from shop.orders.services import (
    order_complete,
    order_mark_delivered,
    order_mark_paid,
    order_ship,
)

CARRIER = "黑貓宅急便"
# An exchange takes an option only while this much of it stays in stock.
STOCK_RESERVE = 10
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
# Guests' refunds of ATM and cash-on-delivery orders go to this account.
GUEST_BANK = services.BankAccount("812", "", "0012345678901")
# Units damaged in transit or faulty are not put back on the shelf.
DAMAGED_REASONS = (ReturnReason.DAMAGED_IN_TRANSIT, ReturnReason.DEFECTIVE)


class Skip(Exception):
    """This story cannot be written (a variant ran out, the method is gone…)."""


@dataclass
class Writer:
    staff: User | None
    now: datetime.datetime

    def _at(self, moment: datetime.datetime):
        return demo_clock(min(moment, self.now))

    # Guests' orders -------------------------------------------------------

    def guest_order(self, planned: GuestOrder) -> Order:
        """Place guest `planned.number`'s order and take it to delivery."""
        variants = {
            variant.sku: variant
            for variant in Variant.objects.filter(
                sku__in=[sku for sku, _q in planned.items]
            )
        }
        items = {}
        for sku, quantity in planned.items:
            variant = variants.get(sku)
            if variant is None or variant.stock - quantity < STOCK_RESERVE:
                raise Skip(f"{sku} is missing or has too little stock left")
            items[variant.pk] = quantity
        method = ShippingMethod.objects.filter(code="home", is_active=True).first()
        if method is None:
            raise Skip("no home-delivery method")
        today = timezone.localdate(self.now)
        day = today - datetime.timedelta(days=planned.days_ago)
        placed = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(20, 10 + planned.number)),
            timezone.get_default_timezone(),
        )
        email = guest_email(planned.number)
        with self._at(placed):
            contact = contact_validate(
                email=email, name=planned.name, phone="0912-345-678"
            )
            order = order_place(
                shopper=shopper_for_user(None),
                items=items,
                contact=contact,
                shipping=shipping_validate(
                    method=method,
                    contact=contact,
                    recipient_name=planned.name,
                    recipient_phone="0912-345-678",
                    postal_code="106",
                    city="臺北市",
                    district="大安區",
                    street=f"復興南路一段 {100 + planned.number} 號",
                ),
                payment_method=planned.payment_method,
                idempotency_key=f"demo-returns-guest-{planned.number}-order",
            )
        if not order.placed_just_now:
            return order
        if planned.payment_method != "cod":
            with self._at(placed + HOUR):
                order_mark_paid(order=order, actor=self.staff, reference="")
        with self._at(placed + DAY - 6 * HOUR):
            order_ship(
                order=order,
                carrier=CARRIER,
                tracking_number=f"8{order.pk:07d}",
                actor=self.staff,
            )
        with self._at(placed + 2 * DAY - 4 * HOUR):
            order_mark_delivered(order=order)
        order.refresh_from_db()
        completes = order_cooling_off_ends(order=order) + 5 * HOUR
        if completes <= self.now:
            with self._at(completes):
                order_complete(order=order)
        return order

    # Returns ---------------------------------------------------------------

    def exchange_variant(self, line: OrderLine) -> Variant | None:
        """Another option of the line's product, not dearer and well in stock."""
        return (
            Variant.objects.filter(
                product_id=line.product_id,
                is_active=True,
                price__lte=line.list_unit_price,
                stock__gte=STOCK_RESERVE + 1,
            )
            .exclude(pk=line.variant_id)
            .order_by("-stock", "pk")
            .first()
        )

    def return_(
        self,
        *,
        order: Order,
        line: OrderLine,
        story: DemoReturn,
        method: str = ReturnMethod.CVS_CODE,
    ) -> ReturnRequest | None:
        """Ask for one unit of `line` back as the story says; None if too recent."""
        asked = order.delivered_at + 2 * DAY
        if asked > self.now:
            return None
        resolution = story.resolution
        exchange = None
        if resolution == Resolution.EXCHANGE:
            exchange = (
                Variant.objects.filter(sku=story.exchange_sku).first()
                if story.exchange_sku
                else None
            ) or self.exchange_variant(line)
            if exchange is None or exchange.stock < STOCK_RESERVE:
                # Credit needs an account; a guest gets a refund instead.
                resolution = Resolution.CREDIT if order.user_id else Resolution.REFUND
                exchange = None
        bank = None
        if (
            resolution == Resolution.REFUND
            and order.payment_method in BANK_TRANSFER_METHODS
        ):
            bank = services.BankAccount(
                GUEST_BANK.bank_code, order.customer_name, GUEST_BANK.account_number
            )
        with self._at(asked):
            request = services.return_request_create(
                order=order,
                user=order.user,
                email=order.email,
                lines=[
                    services.ReturnLineInput(
                        order_line_id=line.pk,
                        quantity=1,
                        reason=story.reason,
                        reason_text=story.reason_text,
                        exchange_variant_id=exchange.pk if exchange else None,
                    )
                ],
                resolution=resolution,
                method=method,
                shopper_note=story.note,
                bank=bank,
            )
        self._advance(request, story, asked)
        return request

    def _advance(self, request: ReturnRequest, story: DemoReturn, asked) -> None:
        """Take `request` through the staff's steps up to `story.until`."""
        until = STEPS.index(story.until)
        moments = {
            APPROVED: asked + 14 * HOUR,
            RECEIVED: asked + 3 * DAY,
            RESOLVED: asked + 3 * DAY + 4 * HOUR,
            CLOSED: asked + 10 * DAY,
        }
        for step in STEPS[1 : until + 1]:
            if moments[step] > self.now:
                return
            with demo_clock(moments[step]):
                self._step(request, step, story)

    def _step(self, request: ReturnRequest, step: str, story: DemoReturn) -> None:
        staff = self.staff
        request.refresh_from_db()
        if step == APPROVED:
            services.return_request_approve(request=request, actor=staff)
        elif step == RECEIVED:
            services.return_request_mark_shipped(
                request=request,
                tracking_number=f"RT{request.pk:07d}TW",
                actor=request.user,
            )
            units = list(
                request.lines.values_list("units__pk", flat=True).order_by("units__pk")
            )
            services.return_units_receive(
                request=request, received_unit_ids=units, actor=staff
            )
        elif step == RESOLVED:
            condition = (
                UnitCondition.DAMAGED
                if story.reason in DAMAGED_REASONS
                else UnitCondition.RESTOCK
            )
            units = list(
                request.lines.values_list("units__pk", flat=True).order_by("units__pk")
            )
            services.return_units_inspect(
                request=request,
                conditions={unit: condition for unit in units},
                actor=staff,
            )
            if request.resolution == Resolution.EXCHANGE:
                services.exchange_fulfil(request=request, actor=staff)
            else:
                refund_issue(request=request, actor=staff)
        elif step == CLOSED:
            for refund in Refund.objects.filter(
                request=request, status=RefundStatus.TRANSFER_DUE
            ):
                refund_transfer_paid(
                    refund=refund, actor=staff, reference=f"TRF{refund.pk:08d}"
                )
            request.refresh_from_db()
            services.return_request_close(request=request, actor=staff)

    def guest_story(self, planned: GuestOrder) -> ReturnRequest | None:
        """The guest's order, and their return when the story has one."""
        with transaction.atomic():
            order = self.guest_order(planned)
            if planned.returned is None or order.return_requests.exists():
                return None
            line = order.lines.filter(sku=planned.returned.sku).first()
            if line is None:
                raise Skip(f"{planned.returned.sku} is not in the order")
            return self.return_(order=order, line=line, story=planned.returned)


__all__ = ["REQUESTED", "Skip", "Writer"]
