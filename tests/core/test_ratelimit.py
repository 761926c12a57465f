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
