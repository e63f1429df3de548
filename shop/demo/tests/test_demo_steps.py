"""The demo seam for apps built on the shop, and the clock their histories use."""

import datetime

import pytest
from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from shop.accounts.models import User
from shop.demo import extensions
from shop.demo.extensions import DemoStep, DemoStepResult, register_demo_step
from shop.demo.history import background_tasks_dropped, demo_clock, store_datetime

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_step(monkeypatch):
    """A step of a pretend app, recording what seed_demo asked of it."""
    monkeypatch.setattr(extensions, "_steps", {})
    calls = []

    def seed(*, customers, progress):
        calls.append(("seed", customers, User.objects.count()))
        progress(customers)
        return DemoStepResult(label="Pretend", total=7, created=2, notes=("hello",))

    def reset():
        calls.append(("reset", User.objects.filter(is_staff=False).count()))
        return 0

    monkeypatch.setattr(extensions, "autodiscover_modules", lambda name: None)
    register_demo_step(DemoStep(key="pretend", label="Pretend", seed=seed, reset=reset))
    return calls


def test_steps_seed_after_the_shoppers_and_reset_before_they_go(recorded_step):
    from io import StringIO

    call_command("seed_demo", products=0, customers=2, verbosity=0)
    assert recorded_step == [("seed", 2, 5)]

    out = StringIO()
    call_command(
        "seed_demo", products=0, customers=1, reset=True, stdout=out, stderr=StringIO()
    )
    # The step cleared up while the two shoppers still existed.
    assert recorded_step[1:] == [("reset", 2), ("seed", 1, 4)]
    assert "  Pretend                7  (2 new)\n  hello\n" in out.getvalue()


def test_every_installed_app_with_a_demo_module_has_its_step():
    assert "loyalty" in [step.key for step in extensions.demo_steps()]


def test_the_demo_clock_runs_from_a_day_in_the_past():
    at = store_datetime(datetime.date(2026, 1, 5), 21, 30)
    assert at.isoformat() == "2026-01-05T21:30:00+08:00"
    real = timezone.now()
    with demo_clock(at):
        inside = timezone.now()
        assert timezone.localdate() == datetime.date(2026, 1, 5)
    assert at <= inside < at + datetime.timedelta(seconds=5)
    assert timezone.now() >= real


def test_the_demo_clock_never_runs_ahead_or_naive():
    with pytest.raises(ValueError, match="never moves into the future"):
        with demo_clock(timezone.now() + datetime.timedelta(days=1)):
            pass
    with pytest.raises(ValueError, match="aware"):
        with demo_clock(datetime.datetime(2026, 1, 5)):
            pass


_SENT = []


@shared_task
def _shout(word):
    _SENT.append(word)


def test_no_task_leaves_while_the_past_is_written():
    _SENT.clear()
    with background_tasks_dropped():
        _shout.delay("then")
        _shout.apply_async(("then",))
    assert _SENT == []
    _shout.delay("now")
    assert _SENT == ["now"]
