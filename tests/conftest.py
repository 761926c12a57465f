"""Shared fixtures, and the rule that CI tolerates no skipped test."""

import os

import pytest
from django.contrib.auth.models import Group
from django.db import connection

STRICT = os.environ.get("STRICT_SKIPS") == "1"


def pytest_collection_modifyitems(config, items):
    """On SQLite, PostgreSQL-only tests are deselected (not skipped); the PostgreSQL run has them."""
    if connection.vendor == "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_sessionfinish(session, exitstatus):
    """With STRICT_SKIPS=1 (CI), any skipped test fails the run."""
    if not STRICT:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"STRICT_SKIPS: {len(skipped)} test(s) skipped; CI treats a skip as a failure.", red=True
        )
        for report in skipped:
            reporter.write_line(f"  skipped: {report.nodeid} {report.longrepr}")
        session.exitstatus = 1


@pytest.fixture
def make_staff(django_user_model):
    """Create a staff user in one of the groups created by the data migration."""

    def make(username: str, group: str | None = None, password: str = "correct-horse-battery-9"):
        user = django_user_model.objects.create_user(username=username, password=password, is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        user.plain_password = password
        return user

    return make


@pytest.fixture
def login(client):
    """Log a user in through the real admin login form (axes and all)."""

    def do_login(user, http_client=None):
        http_client = http_client or client
        from django.conf import settings

        response = http_client.post(
            f"/{settings.ADMIN_URL}login/",
            {"username": user.username, "password": user.plain_password, "next": f"/{settings.ADMIN_URL}"},
        )
        assert response.status_code == 302, response.content[:500]
        return http_client

    return do_login


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache: no cached page, throttle count or lockout leaks in."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
