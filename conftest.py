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


@pytest.fixture(autouse=True)
def _points_ledgers_reconcile(request):
    """After every test that used the database, `reconcile_points` and
    `reconcile_credit` find nothing.

    Every scenario of the suite (checkout, cancellations, expiry, admin
    adjustments, the demo) must leave each member's cached points equal to
    the ledger and held by the lots. A test that breaks a balance on purpose,
    to show the check finding it, is marked `ledger_left_inconsistent`.
    """
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        # Requested here so that this check runs before the database is reset.
        request.getfixturevalue("_django_db_helper")
    yield
    if not uses_db or request.node.get_closest_marker("ledger_left_inconsistent"):
        return
    from loyalty.credit.services import credit_reconcile
    from loyalty.services.points import points_reconcile

    assert points_reconcile() == []
    # The shopping-credit wallet likewise: cache, ledger, lots and draws agree.
    assert credit_reconcile() == []
