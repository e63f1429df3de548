import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.exceptions import NotFound

from shop.core.api import exception_handler
from shop.core.errors import ShopError


def test_schema_is_valid_openapi_without_warnings(tmp_path, capsys):
    # The stats are process-wide: earlier tests that built a schema must not count.
    GENERATOR_STATS.reset()
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert capsys.readouterr().err == ""
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    # Other apps add their own paths; these are the catalogue's and the member's.
    assert {
        "/api/auth/token/",
        "/api/categories/",
        "/api/me/",
        "/api/me/addresses/",
        "/api/me/addresses/{id}/",
        "/api/me/addresses/{id}/default/",
        "/api/products/",
        "/api/products/{slug}/",
    } <= set(schema["paths"])


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_served(schema):
    assert schema["info"]["title"] == "Shop API"
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def test_lists_are_paginated_in_the_schema(schema):
    for path in ("/api/categories/", "/api/products/", "/api/me/addresses/"):
        get = schema["paths"][path]["get"]
        body = get["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["$ref"].startswith("#/components/schemas/Paginated"), path
        names = {p["name"] for p in get["parameters"]}
        assert {"page", "page_size"} <= names, path
        page_size = next(p for p in get["parameters"] if p["name"] == "page_size")
        assert page_size["schema"]["maximum"] == 100


def test_every_list_operation_is_documented_as_a_page(schema):
    # DESIGN §4: every list is paginated; the schema must say so, or clients
    # generated from it read a page object as a single item.
    unpaged = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None or not get["operationId"].endswith("_list"):
            continue
        body = get["responses"]["200"]["content"]["application/json"]["schema"]
        if not body.get("$ref", "").startswith("#/components/schemas/Paginated"):
            unpaged.append(path)
    assert unpaged == []


def test_money_is_a_string_in_the_schema(schema):
    variant = schema["components"]["schemas"]["ProductVariant"]["properties"]
    assert variant["price"]["type"] == "string"
    assert variant["price"]["format"] == "decimal"
    assert variant["compare_at_price"]["type"] == "string"
    assert variant["compare_at_price"]["nullable"] is True


def test_product_filters_are_documented(schema):
    names = {p["name"] for p in schema["paths"]["/api/products/"]["get"]["parameters"]}
    assert {
        "category",
        "q",
        "ordering",
        "price_min",
        "price_max",
        "in_stock",
        "brand",
        "attr",
        "page",
        "page_size",
    } <= names


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_only_local_assets(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assets = _asset_urls(html)
    assert assets, "the page loads its viewer from somewhere"
    # No absolute or protocol-relative address anywhere: nothing comes from a CDN.
    assert re.findall(r"https?://\S+|[\"'(]//\S+", html) == []
    for asset in assets:
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
        assert finders.find(asset.removeprefix("/static/")) is not None, asset


def test_redoc_may_not_fetch_its_logo_from_the_cdn(client, db):
    # ReDoc's bundle always adds a logo from cdn.redoc.ly to its sidebar.
    html = client.get("/api/redoc/").content.decode()

    assert (
        '<meta http-equiv="Content-Security-Policy" content="img-src \'self\' data:">'
        in html
    )


# --- Error shape shared by every endpoint ----------------------------------------


@pytest.mark.parametrize(
    ("exc", "body"),
    [
        (ShopError("Sold out.", field="quantity"), {"quantity": ["Sold out."]}),
        (ShopError("Closed today."), {"detail": "Closed today."}),
        (
            DjangoValidationError({"phone": ["Bad number."], "__all__": ["No."]}),
            {"phone": ["Bad number."], "non_field_errors": ["No."]},
        ),
        (DjangoValidationError("Broken."), {"non_field_errors": ["Broken."]}),
    ],
)
def test_domain_and_model_errors_become_400s(exc, body):
    response = exception_handler(exc, {})

    assert (response.status_code, response.data) == (400, body)


def test_other_errors_are_left_to_drf():
    response = exception_handler(NotFound("Gone."), {})

    assert (response.status_code, response.data) == (404, {"detail": "Gone."})
    assert exception_handler(KeyError("bug"), {}) is None
