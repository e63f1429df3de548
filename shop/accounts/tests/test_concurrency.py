"""The one-default rule under concurrent writes (PostgreSQL only).

Two requests adding a customer's first addresses at the same moment must not
both make theirs the default: the partial unique index would turn the loser
into an IntegrityError (a 500). The services lock the customer's row first.
"""

import pytest

from shop.accounts.models import Address
from shop.accounts.services import address_create, address_set_default
from shop.accounts.tests.factories import UserFactory
from shop.core.tests.concurrency import run_together_split

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TAIPEI = {
    "recipient_name": "王小明",
    "phone": "0912-345-678",
    "postal_code": "106",
    "city": "臺北市",
    "district": "大安區",
    "street": "復興南路一段1號",
}


def test_concurrent_first_addresses_make_one_default(on_postgres):
    user = UserFactory()
    _results, errors = run_together_split(
        *[
            (lambda n=n: address_create(user=user, **{**TAIPEI, "street": f"{n}號"}))
            for n in range(4)
        ]
    )
    assert errors == []
    assert Address.objects.filter(user=user).count() == 4
    assert Address.objects.filter(user=user, is_default=True).count() == 1


def test_concurrent_default_switches_leave_one_default(on_postgres):
    user = UserFactory()
    addresses = [
        address_create(user=user, **{**TAIPEI, "street": f"{n}號"}) for n in range(4)
    ]
    _results, errors = run_together_split(
        *[(lambda a=a: address_set_default(address=a)) for a in addresses]
    )
    assert errors == []
    assert Address.objects.filter(user=user, is_default=True).count() == 1
