"""Scale-out readiness: settings from the environment, stateless app servers, long-lived static files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "aliases": sorted(settings.DATABASES),
    "replica_mirror": settings.DATABASES.get("replica", {}).get("TEST", {}).get("MIRROR"),
    "routers": settings.DATABASE_ROUTERS,
    "sessions": settings.SESSION_ENGINE,
    "middleware": settings.MIDDLEWARE,
}))
"""


def _settings_with(**environ) -> dict:
    env = {
        key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_REPLICA_URL")
    }
    env.update(environ, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_redis_and_a_read_replica_come_from_the_environment():
    configured = _settings_with(
        REDIS_URL="redis://cache.internal:6379/1",
        DATABASE_URL="postgres://atlas@db-primary.internal:5432/atlas",
        DATABASE_REPLICA_URL="postgres://atlas@db-replica.internal:5432/atlas",
    )
    assert configured["cache"] == "django_redis.cache.RedisCache"
    assert configured["cache_location"] == "redis://cache.internal:6379/1"
    assert configured["aliases"] == ["default", "replica"]
    assert configured["replica_mirror"] == "default"
    assert configured["routers"] == ["core.routers.PrimaryReplicaRouter"]
    middleware = configured["middleware"]
    assert middleware[-2:] == [
        "core.routers.ReplicaRoutingMiddleware",
        "core.cache.PublicCacheMiddleware",
    ]


def test_app_servers_keep_no_state_of_their_own():
    configured = _settings_with()
    assert configured["aliases"] == ["default"] and configured["routers"] == []
    # Sessions live in the database (shared), never in files or process memory.
    assert configured["sessions"] == "django.contrib.sessions.backends.db"


def test_gunicorn_sizes_workers_from_the_cpu_count_and_opens_no_control_socket(monkeypatch):
    import config.gunicorn as conf

    assert conf.workers == 2 * (os.cpu_count() or 1) + 1
    assert conf.bind == f"{conf.host}:{conf.port}" and conf.host == "127.0.0.1"
    assert conf.control_socket_disable is True
    assert conf.wsgi_app == "config.wsgi:application"


@pytest.mark.django_db
def test_hashed_static_files_are_served_with_a_long_immutable_cache_header(settings, tmp_path, client):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATICFILES_DIRS = [BASE_DIR / "static"]
    # Only the project's own files: the apps' assets would only make the test slow.
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=_app_asset_dirs())
    from django.contrib.staticfiles.storage import staticfiles_storage

    hashed_url = staticfiles_storage.url("css/site.css")
    assert hashed_url != "/static/css/site.css"
    hashed = client.get(hashed_url)
    assert hashed.status_code == 200
    assert "immutable" in hashed["Cache-Control"]
    assert int(hashed["Cache-Control"].split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
    plain = client.get("/static/css/site.css")
    assert plain.status_code == 200 and "immutable" not in plain.get("Cache-Control", "")


def _app_asset_dirs() -> list[str]:
    """collectstatic ignore patterns for every installed app's static folder (admin, DRF, ...)."""
    from django.contrib.staticfiles.finders import AppDirectoriesFinder

    names = set()
    for storage in AppDirectoriesFinder().storages.values():
        names |= set(storage.listdir("")[0])
    return sorted(names - {"css", "img", "vendor"})
