"""Read replica routing, tested with two real database aliases on the same test database."""

from contextlib import ExitStack, contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test import RequestFactory

from core import routers
from core.cache import public_state
from core.routers import PrimaryReplicaRouter, is_public_read, reads_from
from findings.models import Finding
from tests.findings.factories import FindingFactory


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """An alias `replica`: its own connection to the test database, as a streaming replica is.

    Module-scoped, so that it exists before a test declares it in `databases`.
    """
    config = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    django_settings.DATABASES["replica"] = config  # the connection handler reads this very dict
    yield "replica"
    with django_db_blocker.unblock():
        connections["replica"].close()
    del django_settings.DATABASES["replica"]
    if hasattr(connections._connections, "replica"):
        delattr(connections._connections, "replica")


@pytest.fixture
def replica(replica_alias, settings):
    settings.DATABASE_ROUTERS = ["core.routers.PrimaryReplicaRouter"]
    return connections[replica_alias]


TWO_DATABASES = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@contextmanager
def queries_by_alias():
    """Record the SQL each alias's connection runs."""
    seen = {"default": [], "replica": []}

    def recorder(alias):
        def wrapper(execute, sql, params, many, context):
            seen[alias].append(sql)
            return execute(sql, params, many, context)

        return wrapper

    with ExitStack() as stack:
        for alias in seen:
            stack.enter_context(connections[alias].execute_wrapper(recorder(alias)))
        yield seen


# -- Which requests count as anonymous public reads -------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "cookies", "public"),
    [
        ("get", "/en/findings/", {}, True),
        ("head", "/ko/dialogues/x/", {}, True),
        ("get", "/api/v1/findings/", {}, True),
        ("get", "/sitemap.xml", {}, True),
        ("get", "/en/findings/", {"sessionid": "abc"}, False),  # possibly signed-in staff
        ("post", "/en/findings/", {}, False),
        ("get", "/admin/", {}, False),
        ("get", "/healthz", {}, False),
        ("get", "/static/site.css", {}, False),
    ],
)
def test_public_reads_are_anonymous_gets_of_public_paths(method, path, cookies, public):
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies)
    assert is_public_read(request) is public


# -- The router -------------------------------------------------------------------------------------


@TWO_DATABASES
def test_the_router_sends_marked_reads_to_the_replica_and_everything_else_to_the_primary(replica):
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Finding) == "default"
    with reads_from("replica"):
        assert router.db_for_read(Finding) == "replica"
        assert Finding.objects.all().db == "replica"
        assert router.db_for_write(Finding) == "default"
        with transaction.atomic():
            assert router.db_for_read(Finding) == "default"  # a read that prepares a write
    assert router.allow_migrate("replica", "findings") is False
    assert router.allow_migrate("default", "findings") is True


@pytest.mark.django_db(transaction=True)
def test_without_a_replica_every_read_stays_on_the_primary(monkeypatch):
    monkeypatch.delitem(django_settings.DATABASES, "replica", raising=False)
    with reads_from("replica"):
        assert PrimaryReplicaRouter().db_for_read(Finding) == "default"


# -- Requests end to end ------------------------------------------------------------------------------


@TWO_DATABASES
def test_anonymous_public_pages_and_the_api_read_from_the_replica(client, replica, settings):
    settings.PUBLIC_CACHE_ENABLED = False
    finding = FindingFactory(title_en="Read from the replica")
    public_state()  # the next scheduled publication is always looked up on the primary
    for url in (finding.get_absolute_url(), "/en/findings/", "/api/v1/findings/"):
        with queries_by_alias() as seen:
            response = client.get(url)
        assert response.status_code == 200, url
        # The API's rate-limit counter is a write, so it goes to the primary (without Redis, the
        # counters are a table there); every read goes to the replica.
        counter = [sql for sql in seen["default"] if '"core_ratelimit_counter"' in sql]
        assert seen["replica"] and seen["default"] == counter, (url, seen["default"])
        assert all(sql.startswith(("INSERT", "DELETE")) for sql in counter), counter  # no read
        assert bool(counter) is url.startswith("/api/"), counter
    assert b"Read from the replica" in client.get(finding.get_absolute_url()).content


@TWO_DATABASES
def test_signed_in_staff_and_the_admin_read_from_the_primary(client, replica, make_staff):
    finding = FindingFactory()
    staff = make_staff("editor", group="Editor")
    client.force_login(staff)
    for url in (finding.get_absolute_url(), f"/{django_settings.ADMIN_URL}findings/finding/"):
        with queries_by_alias() as seen:
            response = client.get(url)
        assert response.status_code == 200, url
        assert seen["default"] and not seen["replica"], url


@TWO_DATABASES
def test_a_replica_behind_the_last_change_is_bypassed_and_the_page_stays_fresh(client, replica, monkeypatch):
    finding = FindingFactory()
    monkeypatch.setattr(routers, "replica_caught_up", lambda lsn: False)
    with queries_by_alias() as seen:
        response = client.get(finding.get_absolute_url())
    assert response.status_code == 200 and response["X-Cache"] == "MISS"
    assert not seen["replica"]


@TWO_DATABASES
def test_replica_caught_up_answers_on_a_server_that_is_not_a_standby(replica):
    assert routers.replica_caught_up(None) is True
    # A mirror of the primary (or SQLite) is never behind.
    assert routers.replica_caught_up("0/0") is True
