"""Faults: database outage and dead Redis degrade gracefully.

The PostgreSQL tests start a cluster of their own, serve the app from it under gunicorn, stop the
cluster, look at every kind of page, start it again and watch the site recover by itself.
"""

import json
import time

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.support.servers import AppServer, PostgresCluster, app_env, copy_test_schema, free_port

TRACEBACK_MARKERS = ("Traceback", "OperationalError", "psycopg", 'File "/')
HEADINGS = {
    "en": "Temporarily unavailable",
    "fr": "Temporairement indisponible",
    "ko": "일시적으로 이용할 수 없음",
}


def assert_unavailable_page(status, headers, body, language):
    assert status == 503, (status, body[:500])
    assert headers["Retry-After"] == "30"
    assert headers["Content-Language"] == language
    assert f'<html lang="{language}"' in body
    assert HEADINGS[language] in body  # translated, not just labelled
    for marker in TRACEBACK_MARKERS:
        assert marker not in body, marker


# In-process: the database connection fails wherever it is first needed -------------------------


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.mark.django_db
def test_pages_answer_a_translated_503_without_a_traceback(database_down):
    client = Client(raise_request_exception=False)
    for language, url in (("en", "/en/findings/"), ("fr", "/fr/dialogues/"), ("ko", "/ko/")):
        response = client.get(url)
        assert_unavailable_page(response.status_code, response, response.content.decode(), language)


@pytest.mark.django_db
def test_the_api_answers_503_json(database_down):
    response = Client(raise_request_exception=False).get("/api/v1/findings/?lang=fr")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.django_db
def test_readyz_answers_503(database_down):
    response = Client(raise_request_exception=False).get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_failure_inside_a_middleware_is_a_503_too(monkeypatch, make_staff):
    """The session of a signed-in user is read from the database by middleware and templates."""
    user = make_staff("ana", "Analyst")
    client = Client(raise_request_exception=False)
    client.force_login(user)

    def refuse(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    for url in ("/fr/", "/admin/", "/ko/findings/"):
        response = client.get(url)
        assert response.status_code == 503, url
    monkeypatch.setattr(
        "core.cache.next_due_publication", lambda: (_ for _ in ()).throw(OperationalError("down"))
    )
    response = Client(raise_request_exception=False).get("/ko/dialogues/")
    assert_unavailable_page(response.status_code, response, response.content.decode(), "ko")


@pytest.mark.django_db
def test_a_dead_redis_leaves_the_site_working_uncached(settings, client, make_staff, login):
    from django.core.cache import cache

    from tests.findings.factories import FindingFactory

    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    assert cache.get("anything") is None  # the dead server is really in use, and ignored
    finding = FindingFactory(title_en="Still served")
    for url in ("/en/", f"/en/findings/{finding.pk}/", "/fr/findings/", "/api/v1/findings/", "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Still served" in client.get(f"/en/findings/{finding.pk}/").content.decode()
    login(make_staff("ana", "Analyst"))  # sessions live in the database, not in the cache
    assert client.get("/admin/").status_code == 200


# For real: a PostgreSQL server we stop and start ------------------------------------------------


@pytest.fixture
def cluster():
    server = PostgresCluster()
    server.start()
    yield server
    server.destroy()


def wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_outage_and_recovery_on_a_real_server(cluster, tmp_path):
    copy_test_schema(target_url_parts={"host": "127.0.0.1", "port": cluster.port}, dbname="atlas")
    app = AppServer(
        app_env(
            DATABASE_URL=cluster.url("atlas"),
            CONN_MAX_AGE="60",  # persistent connections must notice the outage and reconnect
            PUBLIC_CACHE_VERSION_FILE=str(tmp_path / "cache.version"),
            PUBLIC_CACHE_ENABLED="0",
            LOG_LEVEL="ERROR",
        )
    )
    try:
        assert app.get("/readyz")[0] == 200
        assert app.get("/fr/")[0] == 200
        assert app.get("/api/v1/findings/")[0] == 200

        cluster.stop()

        status, _headers, body = app.get("/readyz")
        assert status == 503 and json.loads(body)["database"] == "unreachable"
        assert app.get("/healthz")[0] == 200  # the process itself is fine
        for language, path in (("fr", "/fr/"), ("ko", "/ko/findings/"), ("en", "/en/dialogues/")):
            assert_unavailable_page(*app.get(path), language)
        # A list not asked for before (its count is not memoized yet) needs the database.
        status, headers, body = app.get("/api/v1/findings/?ordering=title")
        assert status == 503 and "detail" in json.loads(body)
        status, _headers, body = app.get(
            "/admin/login/",
            data=b"username=a&password=b",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status in (403, 503), body[:300]  # CSRF refuses first, or the database is down: never a 500
        log = app.output()
        assert "database unavailable" in log  # logged once per refused request, as a structured line
        assert "Internal Server Error" not in log and "Traceback" not in log

        cluster.start()

        assert wait_for(lambda: app.get("/readyz")[0] == 200), app.output()
        assert app.get("/fr/")[0] == 200
        assert app.get("/ko/findings/")[0] == 200
        assert app.get("/api/v1/findings/")[0] == 200
    finally:
        app.stop()


@pytest.mark.postgres
@pytest.mark.django_db
def test_dead_redis_on_a_real_server(cluster, tmp_path):
    copy_test_schema(target_url_parts={"host": "127.0.0.1", "port": cluster.port}, dbname="atlas")
    app = AppServer(
        app_env(
            DATABASE_URL=cluster.url("atlas"),
            REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
            PUBLIC_CACHE_VERSION_FILE=str(tmp_path / "cache.version"),
        )
    )
    try:
        started = time.monotonic()
        for path in (
            "/en/",
            "/fr/findings/",
            "/ko/dialogues/",
            "/api/v1/findings/",
            "/sitemap.xml",
            "/readyz",
        ):
            status, _headers, body = app.get(path)
            assert status == 200, (path, body[:300])
        assert time.monotonic() - started < 20  # a refused connection fails fast, no hanging
    finally:
        app.stop()


# Branded, translated error pages ------------------------------------------------------------------

ERRORS = {
    404: {"en": "Page not found", "fr": "Page introuvable", "ko": "페이지를 찾을 수 없습니다"},
    500: {"en": "Something went wrong", "fr": "Une erreur est survenue", "ko": "문제가 발생했습니다"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "ko"])
def test_404_page_is_branded_and_translated(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}"' in body and "Dialogue Atlas" in body
    assert ERRORS[404][language] in body


@pytest.mark.django_db
@pytest.mark.urls("tests.support.urls_failing")
@pytest.mark.parametrize("language", ["en", "fr", "ko"])
def test_500_page_is_branded_translated_and_without_a_traceback(language):
    response = Client(raise_request_exception=False).get(f"/{language}/failing/")
    assert response.status_code == 500
    body = response.content.decode()
    assert ERRORS[500][language] in body and f'<html lang="{language}"' in body
    for marker in (*TRACEBACK_MARKERS, "RuntimeError", "an unexpected bug"):
        assert marker not in body


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_connection_the_server_dropped_is_replaced_before_it_fails_a_request():
    """The health check asks the idle socket (core/postgresql/base.py): no round trip when the
    connection is fine, a fresh connection when the server ended it."""
    from django.db import connection, connections

    wrapper = connections.create_connection("default")
    try:
        wrapper.ensure_connection()
        assert wrapper.health_check_enabled and not wrapper.dropped_by_server()
        statements = []
        open_cursor = wrapper.connection.cursor
        wrapper.connection.cursor = lambda *args, **kwargs: (
            statements.append(args) or open_cursor(*args, **kwargs)
        )
        wrapper.health_check_done = False  # as at the start of the next request
        wrapper.close_if_health_check_failed()
        assert wrapper.connection is not None and statements == []  # kept, without a round trip
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [wrapper.connection.info.backend_pid])
        deadline = time.monotonic() + 5
        while not wrapper.dropped_by_server() and time.monotonic() < deadline:
            time.sleep(0.01)
        wrapper.health_check_done = False
        wrapper.close_if_health_check_failed()
        assert wrapper.connection is None  # replaced before any query could fail on it
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        wrapper.close()
