import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shop.catalog.tests.factories import CategoryFactory

URL = "/api/categories/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient(headers={"Accept-Language": "en"})


def test_categories_are_flat_in_tree_order(client):
    tea = CategoryFactory(name="茶", slug="tea", position=2, description="台灣茶")
    coffee = CategoryFactory(name="咖啡", slug="coffee", position=1)
    beans = CategoryFactory(name="咖啡豆", slug="beans", parent=coffee, position=2)
    drip = CategoryFactory(name="濾掛", slug="drip", parent=coffee, position=1)
    hidden = CategoryFactory(name="停售", slug="gone", is_active=False)
    CategoryFactory(name="停售子類", slug="gone-child", parent=hidden)

    response = client.get(URL)

    assert response.status_code == 200

    def row(category, depth, description=""):
        return {
            "id": category.pk,
            "name": category.name,
            "slug": category.slug,
            "parent": category.parent_id,
            "depth": depth,
            "position": category.position,
            "description": description,
            "image": None,
            "url": f"http://testserver/c/{category.slug}/",
        }

    assert response.json() == {
        "count": 4,
        "next": None,
        "previous": None,
        "results": [
            row(coffee, 0),
            row(drip, 1),
            row(beans, 1),
            row(tea, 0, "台灣茶"),
        ],
    }


def test_category_image_is_an_absolute_url(client):
    CategoryFactory(slug="coffee", image="categories/coffee.jpg")

    response = client.get(URL)

    assert response.json()["results"][0]["image"] == (
        "http://testserver/media/categories/coffee.jpg"
    )


def test_categories_are_paginated(client):
    for position in range(3):
        CategoryFactory(slug=f"c{position}", position=position)

    response = client.get(URL, {"page_size": 2, "page": 2})

    body = response.json()
    assert (body["count"], [c["slug"] for c in body["results"]]) == (3, ["c2"])
    assert body["previous"] == "http://testserver/api/categories/?page_size=2"


def test_page_size_over_the_maximum_is_a_400(client):
    response = client.get(URL, {"page_size": 1000})

    assert response.status_code == 400
    assert response.json() == {"page_size": ["Enter a whole number from 1 to 100."]}


def test_category_list_query_count_does_not_grow(client):
    def cold_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    root = CategoryFactory()
    for _ in range(3):
        CategoryFactory(parent=root)
    few = cold_queries()
    CategoryFactory(parent=root)
    more = cold_queries()

    # One query builds the whole tree; a warm cache needs none.
    assert few == more == 1
    with CaptureQueriesContext(connection) as warm:
        client.get(URL)
    assert len(warm) == 0
