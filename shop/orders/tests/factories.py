"""Orders for tests, shaped like the ones `order_place` creates."""

from decimal import Decimal

import factory
from django.utils import timezone

from shop.catalog.models import StockMovement
from shop.catalog.stock import stock_take
from shop.catalog.tests.factories import VariantFactory
from shop.orders.models import (
    AdjustmentKind,
    Order,
    OrderAdjustment,
    OrderAdjustmentAllocation,
    OrderLine,
    Payment,
    ShippingKind,
)
from shop.orders.services import order_event_record
from shop.orders.status import OrderStatus


class OrderFactory(factory.django.DjangoModelFactory):
    """A bare order (no lines, no payment); `order_with_lines` builds a whole one."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"261122T{n:04d}")
    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    customer_name = "王小明"
    phone = "+886912345678"
    status = OrderStatus.PENDING_PAYMENT
    payment_method = "atm"
    shipping_method_code = "home"
    shipping_method_name = "宅配"
    shipping_kind = ShippingKind.HOME
    recipient_name = "王小明"
    recipient_phone = "+886912345678"
    postal_code = "106"
    city = "臺北市"
    district = "大安區"
    street = "復興南路一段1號"
    currency = "TWD"
    subtotal = Decimal("0")
    total = Decimal("0")
    return_policy_version = "2026-11"
    return_policy_text = "七天鑑賞期"
    language = "zh-hant"
    placed_at = factory.LazyFunction(timezone.now)


def order_with_lines(
    *,
    items=None,
    payment_method: str = "atm",
    status: str | None = None,
    shipping_fee: Decimal = Decimal("80"),
    discount: Decimal = Decimal("0"),
    take_stock: bool = True,
    **fields,
) -> Order:
    """An order with lines, a shipping adjustment, an optional discount and a payment.

    `items` is a list of (variant, quantity); by default two variants priced
    1280 and 450. Stock is taken as placement would. Cash on delivery starts
    in processing with a payment collected on delivery; other methods start
    pending payment.
    """
    if items is None:
        items = [
            (VariantFactory(price=Decimal("1280"), stock=10), 2),
            (VariantFactory(price=Decimal("450"), stock=10), 1),
        ]
    cod = payment_method == "cod"
    if status is None:
        status = OrderStatus.PROCESSING if cod else OrderStatus.PENDING_PAYMENT
    subtotal = sum((v.price * q for v, q in items), Decimal(0))
    total = subtotal + shipping_fee - discount
    order = OrderFactory(
        payment_method=payment_method,
        status=status,
        subtotal=subtotal,
        discount_total=-discount,
        shipping_total=shipping_fee,
        total=total,
        **fields,
    )
    lines = [
        OrderLine.objects.create(
            order=order,
            variant=variant,
            product=variant.product,
            product_title=variant.product.title,
            variant_label=variant.options_label,
            sku=variant.sku,
            quantity=quantity,
            list_unit_price=variant.price,
            unit_price=variant.price,
            subtotal=variant.price * quantity,
        )
        for variant, quantity in items
    ]
    position = 0
    if discount:
        adjustment = OrderAdjustment.objects.create(
            order=order,
            code="welcome",
            label="新會員折扣",
            kind=AdjustmentKind.DISCOUNT,
            amount=-discount,
            position=position,
        )
        # Everything on the first line keeps the sums exact without the allocator.
        OrderAdjustmentAllocation.objects.create(
            adjustment=adjustment, line=lines[0], amount=-discount
        )
        position += 1
    OrderAdjustment.objects.create(
        order=order,
        code="shipping",
        label="運費（宅配）",
        kind=AdjustmentKind.SHIPPING,
        amount=shipping_fee,
        position=position,
    )
    Payment.objects.create(
        order=order,
        method=payment_method,
        amount=total,
        currency="TWD",
        data={"collect_on_delivery": True} if cod else {},
    )
    if take_stock:
        stock_take(
            items={variant.pk: quantity for variant, quantity in items},
            reason=StockMovement.Reason.ORDER_PLACED,
            reference=order.number,
        )
    order_event_record(order=order)
    return order
