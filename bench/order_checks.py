"""After an order benchmark: the oversell and stock ledger check on the
database, and the report of the run.
"""

from __future__ import annotations

from decimal import Decimal

from bench.common import percentiles, print_table
from bench.cpu import cpu_report
from bench.order_load import Tally
from bench.order_shop import SHIPPING_FEE, Shop

# --- The oversell check -----------------------------------------------------------


def oversell_check(shop: Shop, placed: int, in_flight: int = 0) -> list[str]:
    """Problems found in the database after the run; empty when all is consistent."""
    from django.db import connections
    from django.db.models import F, Min, Sum

    from shop.catalog.models import StockMovement, Variant
    from shop.catalog.stock import stock_differences
    from shop.orders.models import Order, OrderLine, Payment

    problems = []
    lowest = Variant.objects.aggregate(lowest=Min("stock"))["lowest"]
    if lowest is not None and lowest < 0:
        problems.append(f"a stock is negative ({lowest})")
    stock_after = dict(Variant.objects.values_list("pk", "stock"))
    problems += [
        f"variant {variant_id}: ledger sum {ledger} ≠ stock {stock}"
        for variant_id, _sku, stock, ledger in stock_differences()
    ]
    taken = dict(
        StockMovement.objects.filter(reason=StockMovement.Reason.ORDER_PLACED)
        .values("variant")
        .annotate(total=Sum("delta"))
        .values_list("variant", "total")
    )
    ordered = dict(
        OrderLine.objects.values("variant")
        .annotate(total=Sum("quantity"))
        .values_list("variant", "total")
    )
    for variant_id, before in shop.stock_before.items():
        after = stock_after[variant_id]
        if ordered.get(variant_id, 0) != -taken.get(variant_id, 0):
            problems.append(
                f"variant {variant_id}: ordered {ordered.get(variant_id, 0)} ≠ "
                f"taken {-taken.get(variant_id, 0)}"
            )
        if ordered.get(variant_id, 0) != before - after:
            problems.append(
                f"variant {variant_id}: ordered {ordered.get(variant_id, 0)} ≠ "
                f"stock change {before - after}"
            )
    orders = Order.objects.count()
    # wrk may stop with requests in flight: the server still places those.
    if not placed <= orders <= placed + in_flight:
        problems.append(f"{orders} orders in the database, {placed} answered 201")
    wrong = (
        Order.objects.exclude(total=F("subtotal") + Decimal(SHIPPING_FEE))
        .exclude(shipping_total=Decimal(SHIPPING_FEE))
        .count()
    )
    if wrong:
        problems.append(f"{wrong} orders without the NT$100 fee in their total")
    if OrderLine.objects.count() != 3 * orders:
        problems.append("orders without exactly three lines")
    if Payment.objects.count() != orders:
        problems.append("orders without exactly one payment")
    hot_sold = shop.stock_before[shop.hot] - stock_after[shop.hot]
    if hot_sold > shop.stock_before[shop.hot]:
        problems.append("the hot variant was oversold")
    connections.close_all()
    return problems


# --- Output --------------------------------------------------------------------------


def print_report(
    args, tally: Tally, problems: list[str], shop: Shop, drained=None
) -> None:
    samples = sorted(tally.latencies_ms)
    if tally.wrk is not None:
        p50, p95, p99 = (tally.wrk[key] / 1000 for key in ("p50", "p95", "p99"))
        samples = [tally.wrk["max"] / 1000]
        rate = tally.orders / (tally.wrk["duration_us"] / 1_000_000)
    else:
        if len(samples) >= 2:
            p50, p95, p99 = percentiles(samples)
        else:
            p50 = p95 = p99 = samples[0] if samples else float("nan")
        rate = tally.orders / args.duration
    rows = [
        ("orders placed (timed)", f"{tally.orders}"),
        ("orders/s", f"{rate:.1f}"),
        ("latency p50", f"{p50:.0f} ms"),
        ("latency p95", f"{p95:.0f} ms"),
        ("latency p99", f"{p99:.0f} ms"),
        ("latency max", f"{samples[-1]:.0f} ms" if samples else "-"),
        ("refused: sold out", f"{tally.sold_out}"),
        ("errors", f"{sum(tally.errors.values())}"),
        ("oversell check", "OK" if not problems else "FAILED"),
    ]
    if tally.cpu_before is not None and tally.cpu_after is not None:
        rows.extend(cpu_report(tally.cpu_before, tally.cpu_after, tally.orders))
    if drained is not None:
        left, waited = drained
        rows.append(
            (
                "emails",
                f"{args.celery}: queue empty {waited:.0f} s after the run"
                if not left
                else f"{args.celery}: {left} still queued",
            )
        )
    else:
        rows.append(("emails", "eager: rendered and sent inside each request"))
    title = (
        f"Orders: {args.clients} clients, {args.workers} gunicorn workers"
        f"{f' × {args.threads} threads' if args.threads > 1 else ''}, "
        f"{args.duration} s, PostgreSQL, 3 lines + NT$100 shipping, cash on delivery, "
        f"Celery {args.celery}, client {args.client}"
    )
    print()
    print(title)
    print("-" * len(title))
    print_table(rows)
    target = rate >= 40 and p99 < 250 and not problems
    verdict = "met" if target else "NOT met"
    print(f"target (≥ 40 orders/s, p99 < 250 ms, no oversell): {verdict}")
    for name, count in tally.errors.most_common():
        print(f"  error {name}: {count}")
    for sample in tally.error_samples[:3]:
        print(f"  e.g. {sample}")
    for problem in problems:
        print(f"  oversell check: {problem}")
