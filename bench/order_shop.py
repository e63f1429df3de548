"""The shop an order benchmark runs on: its throwaway PostgreSQL database, the
seeded catalogue, the customers' API tokens and the variants the clients buy.

Shared by `bench/orders.py`, `bench/order_load.py` and `bench/order_checks.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from bench.common import prepare_django

CUSTOMERS_PER_CLIENT = 3
POOL_PRICE_RANGE = (Decimal("120"), Decimal("450"))
POOL_SIZE = 40
POOL_STOCK = 1_000_000
SHIPPING_FEE = "100"


# --- The throwaway database ---------------------------------------------------


def server_url(base: str, database: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/{database}"


def admin_connection(base: str):
    import psycopg

    parts = urlsplit(base)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def database_create(base: str, name: str) -> None:
    with admin_connection(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(base: str, name: str) -> None:
    with admin_connection(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Preparing the shop -------------------------------------------------------


@dataclass
class Shop:
    tokens: list[str]
    pool: list[int]
    hot: int
    stock_before: dict[int, int]


def prepare_shop(args) -> Shop:
    """Migrate, seed, make tokens and pick the variants the clients buy."""
    prepare_django(database="PostgreSQL", products=args.products, customers=0)
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from shop.accounts.models import User
    from shop.catalog.models import Variant
    from shop.catalog.selectors import products_visible
    from shop.catalog.stock import stock_set
    from shop.checkout.models import ShippingMethod
    from shop.core.shopper import PublicShopper

    home = ShippingMethod.objects.get(code="home")
    if (home.fee, home.free_shipping_threshold) != (Decimal("100"), Decimal("1500")):
        raise SystemExit("expected home delivery at NT$100, free from NT$1,500")

    sellable = Variant.objects.filter(
        is_active=True,
        price__gte=POOL_PRICE_RANGE[0],
        price__lte=POOL_PRICE_RANGE[1],
        product__in=products_visible(shopper=PublicShopper()).values("pk"),
    ).order_by("pk")
    variants = list(sellable.values_list("pk", flat=True)[: POOL_SIZE + 1])
    if len(variants) < 3:
        raise SystemExit("the demo catalogue has too few variants priced NT$120–450")
    hot, pool = variants[0], variants[1:]
    # Through the stock service, so the ledger keeps matching the stock.
    for variant in Variant.objects.filter(pk__in=variants):
        wanted = args.hot_stock if variant.pk == hot else POOL_STOCK
        stock_set(variant=variant, stock=wanted, note="bench/orders.py")
    stock_before = dict(Variant.objects.values_list("pk", "stock"))

    tokens = []
    for number in range(args.clients * CUSTOMERS_PER_CLIENT):
        user, _created = User.objects.get_or_create(
            email=f"bench{number}@example.com",
            defaults={"name": f"壓測顧客{number}", "phone": "+886912345678"},
        )
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    connections.close_all()
    return Shop(tokens=tokens, pool=pool, hot=hot, stock_before=stock_before)
