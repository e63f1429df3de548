"""A small hand-built shop for the analytics tests, with every figure known.

Orders delivered in the last 30 days (units sold → units asked back):

- Amy (member, base tier): 4 shirts, 1 mug → 2 shirts wrong size, the mug
  not as described (two requests);
- Ben (member, 銀卡): 2 shoes, 2 shirts → 1 pair of shoes defective but
  rejected (does not count), 1 shirt wrong size;
- a guest: 4 shirts, 2 shoes → 1 shirt changed mind; another guest: 2 mugs.

And 100 days ago Amy bought 1 shirt and returned it (wrong size): outside
the 30 and 90 day periods, inside the 365 day one.

So members sold 9 and returned 4 (44.4%), guests sold 8 and returned 1
(12.5%); the shirt sold 10 and came back 4 times (40.0%), 3 of them for the
wrong size; the mug sold 3 and came back once, as not as described.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.models import Membership
from loyalty.tests.factories import member_create, tier
from returns.models import ReturnReason, ReturnStatus
from returns.tests.factories import delivered_order, return_request_make
from shop.catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory


@dataclass
class Shop:
    amy: object
    ben: object
    shirt: object
    shoes: object
    mug: object
    now: object


def variant(title: str, category: str, price: str):
    product = ProductFactory(title=title, category=CategoryFactory(name=category))
    return VariantFactory(product=product, price=Decimal(price), stock=100)


def returned(order, line_index: int, quantity: int, reason: str, **kw):
    return return_request_make(
        order=order, line_index=line_index, quantity=quantity, reason=reason, **kw
    )


@pytest.fixture
def shop(db):
    now = timezone.now()
    shirt = variant("Linen shirt", "Tops", "500")
    shoes = variant("Canvas shoes", "Shoes", "1200")
    mug = variant("Tea mug", "Home", "300")
    amy = member_create(email="amy@example.com", name="Amy")
    ben = member_create(email="ben@example.com", name="Ben")
    Membership.objects.filter(user=ben).update(tier=tier("silver"))
    day = timedelta(days=1)

    amy_order = delivered_order(
        user=amy, items=[(shirt, 4), (mug, 1)], delivered_at=now - 3 * day
    )
    returned(amy_order, 0, 2, ReturnReason.WRONG_SIZE)
    returned(amy_order, 1, 1, ReturnReason.NOT_AS_DESCRIBED)

    ben_order = delivered_order(
        user=ben, items=[(shoes, 2), (shirt, 2)], delivered_at=now - 5 * day
    )
    returned(ben_order, 0, 1, ReturnReason.DEFECTIVE, status=ReturnStatus.REJECTED)
    returned(ben_order, 1, 1, ReturnReason.WRONG_SIZE)

    guest_order = delivered_order(
        guest=True,
        email="guest@example.com",
        items=[(shirt, 4), (shoes, 2)],
        delivered_at=now - 2 * day,
    )
    returned(guest_order, 0, 1, ReturnReason.CHANGED_MIND)
    delivered_order(
        guest=True, email="other@example.com", items=[(mug, 2)], delivered_at=now - day
    )

    old = delivered_order(user=amy, items=[(shirt, 1)], delivered_at=now - 100 * day)
    returned(old, 0, 1, ReturnReason.WRONG_SIZE, now=old.delivered_at + day)
    return Shop(amy=amy, ben=ben, shirt=shirt, shoes=shoes, mug=mug, now=now)
