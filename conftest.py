"""Fixtures and switches every app's tests share."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    # Worker tests need a broker and a real worker; .ci/run runs them against Redis.
    if not os.environ.get("CELERY_WORKER_TESTS"):
        skip = pytest.mark.skip(
            reason="set CELERY_WORKER_TESTS=1 and CELERY_BROKER_URL"
        )
        for item in items:
            if "celery_worker" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cached reads (e.g. the category tree) must not outlive the test database.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def on_postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; run with DATABASE_URL=postgres://…")
