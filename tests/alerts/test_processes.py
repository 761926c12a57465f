"""What `make run` starts, as separate processes on one SQLite file: the web server and the task
worker. Subscribing on /en/alerts/ writes a confirmation .eml to the outbox within seconds."""

import http.cookiejar
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from email import message_from_bytes, policy

import pytest

from tests.support.servers import ROOT, free_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_make_run_starts_a_worker_and_the_scheduler():
    recipe = subprocess.run(
        ["make", "-n", "run", "PYTHON_BIN=python3"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py worker &" in recipe
    assert "manage.py periodic --every 60" in recipe
    assert "manage.py runserver" in recipe


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_subscribing_writes_a_confirmation_to_the_outbox_within_seconds(tmp_path):
    database = tmp_path / "atlas.sqlite3"
    outbox = tmp_path / "outbox"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_OUTBOX_DIR": str(outbox),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "TASKS_BACKEND": "database",
        "REDIS_URL": "",
        "EMAIL_URL": "",
        "DJANGO_ENV": "development",
        "PUBLIC_CACHE_VERSION_FILE": str(tmp_path / "cache.version"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    log = open(tmp_path / "processes.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    worker = subprocess.Popen([*manage, "worker"], env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"http://127.0.0.1:{port}/en/alerts/", timeout=10).read()
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "email": "newcomer@example.org",
                "kind": "everything",
                "language": "en",
                "frequency": "daily",
            }
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/en/alerts/",
            data=form,
            headers={"Referer": f"http://127.0.0.1:{port}/en/alerts/"},
        )
        answer = opener.open(request, timeout=10)
        assert answer.url.endswith("/en/alerts/requested/")
        subscribed = time.monotonic()
        while not list(outbox.glob("*.eml")) and time.monotonic() - subscribed < 10:
            time.sleep(0.2)
        files = list(outbox.glob("*.eml"))
        assert len(files) == 1, (tmp_path / "processes.log").read_text()
        message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
        assert message["To"] == "newcomer@example.org"
        assert f"http://127.0.0.1:{port}/en/alerts/confirm/" in message.get_body(("plain",)).get_content()
    finally:
        for process in (worker, server):
            process.terminate()
        for process in (worker, server):
            process.wait(timeout=20)
        log.close()
