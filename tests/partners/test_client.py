"""A client generated from the schema (openapi-python-client) works against the live API.

What a partner does: export the schema, generate a typed client without a single warning, list a
resource, then revalidate it with the ETag it got and handle the 304 (declared in the schema, so
the generated code expects it instead of raising).
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from core import ratelimit
from tests.dialogue.factories import ThemeFactory

PACKAGE = "atlas_api_client"


@pytest.fixture
def generated_client(tmp_path, monkeypatch):
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(schema))
    tools = Path(sys.executable).parent  # openapi-python-client, and the ruff it formats with
    result = subprocess.run(
        [
            str(tools / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--fail-on-warning",
        ],
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_lists_and_handles_a_304(generated_client, live_server, settings):
    settings.API_THROTTLE_ANON = "50/minute"
    ThemeFactory(slug="generated-client", name_en="Generated clients")
    themes_list = importlib.import_module(f"{PACKAGE}.api.themes.themes_list")
    themes_retrieve = importlib.import_module(f"{PACKAGE}.api.themes.themes_retrieve")
    # As a context manager the client closes its kept-alive connection at the end, and with it
    # the server thread that holds a database session.
    try:
        with generated_client.Client(base_url=live_server.url, raise_on_unexpected_status=True) as client:
            first = themes_list.sync_detailed(client=client)
            assert first.status_code == 200
            assert [theme.slug for theme in first.parsed.results] == ["generated-client"]
            assert first.parsed.next_ is None and first.parsed.count == 1
            assert first.headers["RateLimit-Limit"] == "50"

            again = themes_list.sync_detailed(client=client, if_none_match=first.headers["ETag"])
            assert again.status_code == 304
            assert again.parsed is None and again.content == b""
            assert again.headers["ETag"] == first.headers["ETag"]

            missing = themes_retrieve.sync_detailed("no-such-theme", client=client)
            assert missing.status_code == 404 and missing.parsed.code == "not_found"
    finally:
        # Committed by this transactional test; later tests count from zero.
        ratelimit.DatabaseCounterCache(ratelimit.TABLE, {}).clear()
