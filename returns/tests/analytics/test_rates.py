"""Exact return rates on the hand-built shop of conftest.py."""

from datetime import timedelta
from decimal import Decimal

from returns.analytics import (
    analytics_period,
    rates_by_category,
    rates_by_customer,
    rates_by_membership,
    rates_by_product,
    rates_by_reason,
    rates_by_variant,
    return_rate,
    top_products_for_reasons,
)
from returns.models import ReturnReason


def figures(rows):
    return [(row.label, row.sold, row.returned, row.rate) for row in rows]


def test_members_return_more_than_guests_and_by_tier(shop):
    rates = rates_by_membership(period=analytics_period(days=30, now=shop.now))

    assert (rates.members.sold, rates.members.returned) == (9, 4)
    assert rates.members.rate == Decimal("44.4")
    assert rates.members.requests == 3
    assert (rates.guests.sold, rates.guests.returned) == (8, 1)
    assert rates.guests.rate == Decimal("12.5")
    assert rates.guests.requests == 1
    by_tier = {row.key: (row.sold, row.returned, row.rate) for row in rates.tiers}
    assert by_tier == {
        "member": (5, 3, Decimal("60.0")),
        "silver": (4, 1, Decimal("25.0")),
        "gold": (0, 0, Decimal("0.0")),
        "vip": (0, 0, Decimal("0.0")),
    }


def test_the_period_is_the_cohort_of_orders_delivered_in_it(shop):
    year = rates_by_membership(period=analytics_period(days=365, now=shop.now))
    quarter = rates_by_membership(period=analytics_period(days=90, now=shop.now))

    # Amy's order of 100 days ago and its return count in the year only.
    assert (year.members.sold, year.members.returned) == (10, 5)
    assert (quarter.members.sold, quarter.members.returned) == (9, 4)


def test_an_unknown_period_length_falls_back_to_30_days(shop):
    assert analytics_period(days=7, now=shop.now).days == 30
    assert analytics_period(days=90, now=shop.now).start == shop.now - timedelta(90)


def test_by_reason_counts_units_and_requests_not_rejected_ones(shop):
    rows = rates_by_reason(period=analytics_period(days=30, now=shop.now))

    by_reason = {row.key: (row.returned, row.requests, row.rate) for row in rows}
    assert by_reason[ReturnReason.WRONG_SIZE] == (3, 2, Decimal("17.6"))
    assert by_reason[ReturnReason.NOT_AS_DESCRIBED] == (1, 1, Decimal("5.9"))
    assert by_reason[ReturnReason.CHANGED_MIND] == (1, 1, Decimal("5.9"))
    assert by_reason[ReturnReason.DEFECTIVE] == (0, 0, Decimal("0.0"))
    assert rows[0].key == ReturnReason.WRONG_SIZE
    assert {row.sold for row in rows} == {17}


def test_products_need_the_minimum_units_sold(shop):
    period = analytics_period(days=30, now=shop.now)

    # The mug sold 3: below the default minimum of 5; the shoes' only return
    # was rejected.
    assert figures(rates_by_product(period=period)) == [
        ("Linen shirt", 10, 4, Decimal("40.0"))
    ]
    rows = rates_by_product(period=period, min_sold=1)
    assert figures(rows) == [
        ("Linen shirt", 10, 4, Decimal("40.0")),
        ("Tea mug", 3, 1, Decimal("33.3")),
    ]
    assert rows[0].url == f"/admin/catalog/product/{shop.shirt.product_id}/change/"


def test_variants_and_categories(shop):
    period = analytics_period(days=30, now=shop.now)

    [shirt] = rates_by_variant(period=period)
    assert (shirt.detail, shirt.sold, shirt.returned) == (shop.shirt.sku, 10, 4)
    assert figures(rates_by_category(period=period, min_sold=1)) == [
        ("Tops", 10, 4, Decimal("40.0")),
        ("Home", 3, 1, Decimal("33.3")),
    ]


def test_customers_with_their_requests(shop):
    rows = rates_by_customer(period=analytics_period(days=30, now=shop.now))

    assert [(r.detail, r.sold, r.returned, r.requests, r.rate) for r in rows] == [
        ("amy@example.com", 5, 3, 2, Decimal("60.0")),
        ("ben@example.com", 4, 1, 1, Decimal("25.0")),
    ]
    assert rows[0].url == f"/admin/accounts/user/{shop.amy.pk}/change/"


def test_products_to_fix_for_description_and_size(shop):
    period = analytics_period(days=30, now=shop.now)

    described = top_products_for_reasons(
        period=period, reasons=[ReturnReason.NOT_AS_DESCRIBED]
    )
    size = top_products_for_reasons(period=period, reasons=[ReturnReason.WRONG_SIZE])

    assert figures(described) == [("Tea mug", 3, 1, Decimal("33.3"))]
    assert described[0].url.endswith(f"/{shop.mug.product_id}/change/")
    assert figures(size) == [("Linen shirt", 10, 3, Decimal("30.0"))]


def test_nothing_delivered_means_no_rows_and_zero_rates(db):
    period = analytics_period(days=30)

    rates = rates_by_membership(period=period)
    assert (rates.members.rate, rates.guests.rate) == (Decimal("0.0"),) * 2
    assert rates_by_product(period=period) == []
    assert rates_by_customer(period=period) == []
    assert return_rate(1, 3) == Decimal("33.3")
    assert return_rate(2, 3) == Decimal("66.7")
