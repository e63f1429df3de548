"""Headless Debian Chromium driven by Playwright, against pytest-django's live server.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER is set (CI sets it).
Screenshots go to test-artifacts/ for a person to look at.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine can take seconds to serve a page; wait rather than flake.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, locale="zh-TW"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str, *, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def demo_shop(transactional_db):
    """A small seeded demo shop. Transactional tests flush the tables after each
    test, rows made by data migrations included, so those are made again."""
    from django.core.management import call_command

    from shop.checkout.defaults import shipping_methods_ensure_defaults
    from shop.core.roles import staff_roles_sync

    staff_roles_sync()
    shipping_methods_ensure_defaults()
    call_command("seed_demo", products=40, customers=2, verbosity=0)
