"""Fixtures of the public-site tests."""

import pytest


@pytest.fixture
def demo(db):
    """The Canada–Korea demo content, loaded the way `make run` loads it."""
    from demo.services import demo_content_load

    demo_content_load()


@pytest.fixture
def uncached(settings):
    """Render every request: the public page cache (core/cache.py) would hide the view's queries."""
    settings.PUBLIC_CACHE_ENABLED = False


@pytest.fixture(autouse=True)
def english_by_default():
    """Start each test in English: the test client leaves the last request's language active."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
