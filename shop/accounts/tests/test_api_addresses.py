import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shop.accounts.models import Address
from shop.accounts.tests.factories import AddressFactory, UserFactory

LIST_URL = "/api/me/addresses/"
TAIPEI = datetime.timezone(datetime.timedelta(hours=8))


def detail_url(address):
    return f"/api/me/addresses/{address.pk}/"


@pytest.fixture
def client():
    return APIClient(headers={"Accept-Language": "en"})


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_authenticate(member)
    return client


@pytest.fixture
def strangers_address(db):
    return AddressFactory(user=UserFactory(), is_default=True, street="別人家1號")


VALID = {
    "recipient_name": "陳大文",
    "phone": "0922 333 444",
    "postal_code": "106-024",
    "city": "台北市",
    "district": "大安區",
    "street": "敦化南路二段100號5樓",
}


def test_anonymous_gets_401(client, db):
    assert client.get(LIST_URL).status_code == 401
    assert client.post(LIST_URL, VALID).status_code == 401


def test_list_shows_only_my_addresses_default_first(
    member_client, member, strangers_address
):
    older = AddressFactory(user=member, is_default=True, street="舊家1號")
    newer = AddressFactory(user=member, street="新家2號")
    Address.objects.filter(pk=older.pk).update(
        created_at=datetime.datetime(2024, 1, 1, 9, 0, tzinfo=TAIPEI)
    )
    Address.objects.filter(pk=newer.pk).update(
        created_at=datetime.datetime(2024, 6, 1, 9, 0, tzinfo=TAIPEI)
    )

    response = member_client.get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": older.pk,
                "recipient_name": "王小明",
                "phone": "+886912345678",
                "phone_display": "0912-345-678",
                "country": "TW",
                "country_name": "Taiwan",
                "postal_code": "106",
                "city": "臺北市",
                "district": "大安區",
                "street": "舊家1號",
                "one_line": "106 臺北市大安區舊家1號",
                "is_default": True,
                "created_at": "2024-01-01T09:00:00+08:00",
            },
            {
                "id": newer.pk,
                "recipient_name": "王小明",
                "phone": "+886912345678",
                "phone_display": "0912-345-678",
                "country": "TW",
                "country_name": "Taiwan",
                "postal_code": "106",
                "city": "臺北市",
                "district": "大安區",
                "street": "新家2號",
                "one_line": "106 臺北市大安區新家2號",
                "is_default": False,
                "created_at": "2024-06-01T09:00:00+08:00",
            },
        ],
    }


def test_list_is_paginated(member_client, member):
    AddressFactory.create_batch(3, user=member)

    response = member_client.get(LIST_URL, {"page_size": 2, "page": 2})

    body = response.json()
    assert (body["count"], len(body["results"]), body["next"]) == (3, 1, None)
    assert body["previous"] == "http://testserver/api/me/addresses/?page_size=2"


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"page_size": 101}, {"page_size": ["Enter a whole number from 1 to 100."]}),
        ({"page_size": 0}, {"page_size": ["Enter a whole number from 1 to 100."]}),
        ({"page_size": "ten"}, {"page_size": ["Enter a whole number from 1 to 100."]}),
        ({"page": "two"}, {"page": ["Enter a whole number of 1 or more."]}),
    ],
)
def test_bad_paging_is_a_400(member_client, params, errors):
    response = member_client.get(LIST_URL, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_page_past_the_end_is_a_404(member_client, member):
    AddressFactory(user=member)

    response = member_client.get(LIST_URL, {"page": 2})

    assert response.status_code == 404


def test_list_query_count_does_not_grow_with_rows(member_client, member):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(LIST_URL).status_code == 200
        return len(queries)

    AddressFactory.create_batch(3, user=member)
    with_three = count_queries()
    AddressFactory(user=member)

    assert count_queries() == with_three == 2


def test_create_cleans_the_address_and_makes_the_first_one_default(
    member_client, member
):
    response = member_client.post(LIST_URL, VALID, format="json")

    assert response.status_code == 201
    address = Address.objects.get(user=member)
    body = response.json()
    assert body["id"] == address.pk
    assert (
        body["phone"],
        body["postal_code"],
        body["city"],
        body["country"],
        body["is_default"],
    ) == ("+886922333444", "106024", "臺北市", "TW", True)
    assert address.one_line == "106024 臺北市大安區敦化南路二段100號5樓"


def test_create_as_default_moves_the_default(member_client, member):
    old = AddressFactory(user=member, is_default=True)

    response = member_client.post(
        LIST_URL, {**VALID, "is_default": True}, format="json"
    )

    assert response.status_code == 201
    old.refresh_from_db()
    assert old.is_default is False
    assert Address.objects.get(pk=response.json()["id"]).is_default is True


def test_create_abroad(member_client, member):
    response = member_client.post(
        LIST_URL,
        {
            "recipient_name": "Tanaka",
            "phone": "+81 90 1234 5678",
            "country": "jp",
            "postal_code": "150-0001",
            "city": "Tokyo",
            "street": "1-2-3 Jingumae, Shibuya",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["country"], body["phone"], body["district"]) == (
        "JP",
        "+819012345678",
        "",
    )


def test_create_missing_fields_are_each_named(member_client):
    response = member_client.post(LIST_URL, {"city": "臺北市"}, format="json")

    assert response.status_code == 400
    required = ["This field is required."]
    assert response.json() == {
        "recipient_name": required,
        "phone": required,
        "postal_code": required,
        "street": required,
    }


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"phone": "555"},
            {
                "phone": [
                    "Enter a valid phone number, e.g. 0912-345-678 or +81 90 1234 5678."
                ]
            },
        ),
        ({"city": "東京都"}, {"city": ["Choose a city or county from the list."]}),
        (
            {"postal_code": "12"},
            {
                "postal_code": [
                    "Enter a Taiwan postal code of 3, 5 or 6 digits, "
                    "e.g. 106 or 106024."
                ]
            },
        ),
        ({"country": "ZZ"}, {"country": ["Choose a country from the list."]}),
        ({"street": ""}, {"street": ["This field may not be blank."]}),
    ],
)
def test_create_rejects_bad_values_per_field(member_client, member, change, errors):
    response = member_client.post(LIST_URL, {**VALID, **change}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Address.objects.filter(user=member).count() == 0


def test_retrieve_my_address(member_client, member):
    address = AddressFactory(user=member, is_default=True, street="仁愛路四段1號")

    response = member_client.get(detail_url(address))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["street"]) == (
        address.pk,
        "仁愛路四段1號",
    )


def test_partial_update_keeps_other_fields(member_client, member):
    address = AddressFactory(user=member, is_default=True, street="仁愛路四段1號")

    response = member_client.patch(
        detail_url(address), {"phone": "02-2345-6789"}, format="json"
    )

    assert response.status_code == 200
    address.refresh_from_db()
    assert (address.phone, address.street, address.recipient_name) == (
        "+886223456789",
        "仁愛路四段1號",
        "王小明",
    )
    assert response.json()["phone_display"] == "0223456789"


def test_partial_update_with_a_bad_value_changes_nothing(member_client, member):
    address = AddressFactory(user=member, is_default=True, street="仁愛路四段1號")

    response = member_client.patch(
        detail_url(address), {"street": "新地址", "city": "Gotham"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"city": ["Choose a city or county from the list."]}
    address.refresh_from_db()
    assert (address.city, address.street) == ("臺北市", "仁愛路四段1號")


def test_delete_default_hands_the_default_to_the_newest(member_client, member):
    default = AddressFactory(user=member, is_default=True)
    older = AddressFactory(user=member)
    newer = AddressFactory(user=member)
    Address.objects.filter(pk=older.pk).update(
        created_at=datetime.datetime(2024, 1, 1, tzinfo=TAIPEI)
    )

    response = member_client.delete(detail_url(default))

    assert response.status_code == 204
    assert list(
        Address.objects.filter(user=member)
        .order_by("pk")
        .values_list("pk", "is_default")
    ) == [(older.pk, False), (newer.pk, True)]


def test_set_default(member_client, member):
    first = AddressFactory(user=member, is_default=True)
    second = AddressFactory(user=member)

    response = member_client.post(f"{detail_url(second)}default/")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["is_default"]) == (second.pk, True)
    first.refresh_from_db()
    assert first.is_default is False


def test_someone_elses_address_is_not_found(member_client, strangers_address):
    url = detail_url(strangers_address)

    assert member_client.get(url).status_code == 404
    assert (
        member_client.patch(url, {"street": "我的"}, format="json").status_code == 404
    )
    assert member_client.delete(url).status_code == 404
    assert member_client.post(f"{url}default/").status_code == 404

    strangers_address.refresh_from_db()
    assert (strangers_address.street, strangers_address.is_default) == (
        "別人家1號",
        True,
    )


def test_unknown_address_is_not_found(member_client):
    response = member_client.get("/api/me/addresses/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Address not found."}
