"""Shared fixtures, and the rule that CI tolerates no skipped test."""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.db import connection

from core import textindex

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


def role_group(name: str) -> Group:
    """The role group made by the data migration; rebuilt the same way after a transactional flush."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        from django.contrib.auth.management import create_permissions
        from django.contrib.auth.models import Permission

        roles = importlib.import_module("core.migrations.0001_groups")
        added = importlib.import_module("core.migrations.0006_editor_publishes_people")
        for app_config in django_apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        group = Group.objects.create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in [*roles.GROUPS[name], *added.ADDED.get(name, [])]
            ]
        )
    return group


@pytest.fixture
def make_staff(django_user_model):
    """Create a staff user in one of the groups created by the data migration."""

    def make(username: str, group: str | None = None, password: str = "correct-horse-battery-9"):
        user = django_user_model.objects.create_user(username=username, password=password, is_staff=True)
        if group:
            user.groups.add(role_group(group))
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


@pytest.fixture(scope="session")
def public_cache_version_file(tmp_path_factory):
    """A public-cache version file of this test process alone (core/cache.py).

    The default file under var/ is shared by every process of the machine, as the workers of one
    server must share it; parallel test processes would then invalidate each other's pages.
    """
    return tmp_path_factory.mktemp("public-cache") / "version"


@pytest.fixture(autouse=True)
def clear_cache(settings, public_cache_version_file):
    """Each test starts with an empty cache: no cached page, throttle count or lockout leaks in."""
    from django.core.cache import cache

    settings.PUBLIC_CACHE_VERSION_FILE = public_cache_version_file
    # Each test's database starts again: so does the search index, built in the request itself.
    settings.SEARCH_INDEX_BACKGROUND = False
    textindex.forget_all()
    # The change log starts again with each test's database: so does what the cache last heard.
    Path(f"{public_cache_version_file}.seq").unlink(missing_ok=True)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff tests sign in dozens of times (lockouts); PBKDF2's deliberate slowness is not under test.

    django-axes keeps failed attempts in the database, so each test's rollback (or flush) resets
    them; no test changes AXES_ENABLED.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
