import pytest


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the source language, whatever the .po files say."""
    from django.utils import translation

    with translation.override("en"):
        yield
