"""Fixtures of the API tests; the world is in tests/api/fixtures.py, shared with tests/<app>/test_api.py."""

import pytest
from django.core.cache import cache

from tests.api.fixtures import World, configure


@pytest.fixture(autouse=True)
def api_settings(settings):
    configure(settings)
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return World()
