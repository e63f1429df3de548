"""Tasks through a real Celery worker and broker (Redis in CI), not eagerly in-process.

Run by .ci/run with CELERY_WORKER_TESTS=1 and CELERY_BROKER_URL set; skipped otherwise.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from shop.catalog.models import ProductImage
from shop.catalog.tasks import generate_product_image_renditions
from shop.catalog.tests.factories import ProductImageFactory
from shop.celery import app
from shop.orders.tasks import send_order_email
from shop.orders.tests.factories import order_with_lines

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    assert not app.conf.task_always_eager, "worker tests need a broker, not eager tasks"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_makes_the_thumbnail_of_an_uploaded_image(worker):
    image = ProductImageFactory()
    assert not image.thumbnail

    generate_product_image_renditions.delay(image.pk)

    def has_renditions():
        image.refresh_from_db()
        return bool(image.thumbnail) and bool(image.display)

    assert wait_for(has_renditions), "the worker did not make the renditions"
    assert ProductImage.objects.get(pk=image.pk).thumbnail.name.startswith(
        "products/thumbs/"
    )


def test_a_worker_sends_the_order_email(worker):
    order = order_with_lines()
    mail.outbox = []

    send_order_email.delay(order.pk, "placed")

    assert wait_for(lambda: len(mail.outbox) == 1), "the worker sent no email"
    assert mail.outbox[0].to == [order.email]
    assert order.number in mail.outbox[0].subject
