"""The API's limits hold across worker processes: several gunicorn workers, one shared count.

Each worker used to count in its own memory, so N workers let about N times the limit through.
"""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core import ratelimit
from tests.support.servers import AppServer, app_env


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_to_several_workers_get_exactly_the_limit(tmp_path):
    source = connection.settings_dict
    database_url = (
        f"postgres://{source.get('USER') or 'postgres'}@{source.get('HOST') or '127.0.0.1'}:"
        f"{source.get('PORT') or 5432}/{source['NAME']}"
    )
    store = ratelimit.DatabaseCounterCache(ratelimit.TABLE, {})
    store.clear()
    app = AppServer(
        app_env(
            DATABASE_URL=database_url,
            API_THROTTLE_ANON="20/minute",
            PUBLIC_CACHE_VERSION_FILE=str(tmp_path / "cache.version"),
        ),
        workers=3,
    )
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(lambda n: app.get("/api/v1/themes/" if n % 2 else "/api/v1/"), range(60)))
        statuses = sorted(status for status, _headers, _body in answers)
        assert statuses == [200] * 20 + [429] * 40, statuses
        assert time.monotonic() - started < 55  # one window
        remaining = sorted(
            int(headers["RateLimit-Remaining"]) for status, headers, _body in answers if status == 200
        )
        assert remaining == list(range(20))  # every count given once
        refused = next(body for status, _headers, body in answers if status == 429)
        assert json.loads(refused)["code"] == "throttled"
    finally:
        app.stop()
        store.clear()  # committed by this test; later tests count from zero


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_make_serve_with_five_workers_lets_through_the_documented_limit(tmp_path):
    """300 anonymous requests to one API list within seconds, five workers as `make serve` runs
    on this machine's two cores, the default limit: 120 answers 200, the rest 429."""
    from django.conf import settings

    assert settings.API_THROTTLE_ANON == "120/minute"
    source = connection.settings_dict
    database_url = (
        f"postgres://{source.get('USER') or 'postgres'}@{source.get('HOST') or '127.0.0.1'}:"
        f"{source.get('PORT') or 5432}/{source['NAME']}"
    )
    store = ratelimit.DatabaseCounterCache(ratelimit.TABLE, {})
    store.clear()
    app = AppServer(
        app_env(DATABASE_URL=database_url, PUBLIC_CACHE_VERSION_FILE=str(tmp_path / "cache.version")),
        workers=5,
    )
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda n: app.get("/api/v1/findings/"), range(300)))
        elapsed = time.monotonic() - started
        statuses = [status for status, _headers, _body in answers]
        assert 120 <= statuses.count(200) <= 120 + 5, statuses.count(200)
        assert statuses.count(200) + statuses.count(429) == 300
        assert elapsed < 30, elapsed  # well inside the minute the limit counts
        for status, headers, _body in answers:
            assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(headers)
            if status == 429:
                assert int(headers["Retry-After"]) > 0
    finally:
        app.stop()
        store.clear()
