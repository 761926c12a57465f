"""Fixtures of the API tests; the world is in fixtures.py, shared with each app's test_api.py."""

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.partners.fixtures import World, configure


@pytest.fixture(autouse=True)
def api_settings(settings):
    configure(settings)
    yield
    cache.clear()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world per test module, rolled back after it: the tests here only read it, and each
    test's own transaction (a savepoint inside this one) undoes whatever a test writes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(module_world, db):
    return module_world
