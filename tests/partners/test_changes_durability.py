"""The change log commits with the change it records, whatever happens to the process afterwards.

Each scenario runs in processes of its own against a scratch database of the backend under test
(a SQLite file, or a PostgreSQL database made for the test), so that a process can really die
after its commit and another can read what survived.
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]

SETUP = """
import django; django.setup()
from demo.services import demo_content_load
demo_content_load()
"""

STATE = """
import json, django; django.setup()
from core.models import PublicChange
from findings.models import Finding
finding = Finding.objects.order_by("pk").first()
entry = PublicChange.objects.filter(resource="findings", object_id=finding.pk).order_by("-pk").first()
print(json.dumps({
    "title": finding.title_en,
    "seq": entry.pk if entry else None,
    "action": entry.action if entry else None,
    "latest": PublicChange.objects.order_by("-pk").values_list("pk", flat=True).first(),
}))
"""

# Saves a change to a published finding; an on-commit hook registered before any other kills the
# process the moment the transaction has committed.
KILLED_AFTER_COMMIT = """
import os, django; django.setup()
from django.db import transaction
from findings.models import Finding
with transaction.atomic():
    transaction.on_commit(lambda: os._exit(17))
    finding = Finding.objects.order_by("pk").first()
    finding.title_en = "Changed, then the process died"
    finding.save()
print("unreachable")
"""

ROLLED_BACK = """
import django; django.setup()
from django.db import transaction
from findings.models import Finding
try:
    with transaction.atomic():
        finding = Finding.objects.order_by("pk").first()
        finding.title_en = "Never committed"
        finding.save()
        raise RuntimeError("rolled back")
except RuntimeError:
    pass
"""

SAVE = """
import sys, django; django.setup()
from findings.models import Finding
finding = Finding.objects.order_by("pk").first()
finding.title_en = "Saved while another writer held the lock"
try:
    finding.save()
except Exception as error:
    print(f"failed: {error}")
    sys.exit(3)
print("saved")
"""


@pytest.fixture
def scratch_database(tmp_path):
    """DATABASE_URL of an empty, migrated database of the backend under test, with the demo."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"atlas_scratch_{uuid.uuid4().hex[:10]}"
        server = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    run_python(url, "-m", "django", "migrate", "-v0", python_args=True)
    run_python(url, "-c", SETUP, python_args=True)
    yield url
    if connection.vendor == "postgresql":
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def environment(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL")}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(BASE_DIR))
    return env


def run_python(url: str, *args: str, python_args=False, expect: int = 0) -> str:
    command = [sys.executable, *args] if python_args else [sys.executable, "-c", *args]
    result = subprocess.run(
        command, cwd=BASE_DIR, env=environment(url), capture_output=True, text=True, timeout=180
    )
    assert result.returncode == expect, result.stdout + result.stderr
    return result.stdout


def state(url: str) -> dict:
    return json.loads(run_python(url, STATE).strip().splitlines()[-1])


def test_a_process_killed_after_commit_leaves_the_change_in_the_feed(scratch_database):
    before = state(scratch_database)
    run_python(scratch_database, KILLED_AFTER_COMMIT, expect=17)
    after = state(scratch_database)
    assert after["title"] == "Changed, then the process died"
    assert after["action"] == "upsert" and after["seq"] > before["latest"]


def test_a_rolled_back_change_leaves_nothing_in_the_feed(scratch_database):
    before = state(scratch_database)
    run_python(scratch_database, ROLLED_BACK)
    assert state(scratch_database) == before


def test_a_save_while_another_writer_holds_the_lock_fails_whole_or_lands_with_its_entry(
    scratch_database, tmp_path
):
    before = state(scratch_database)
    release = threading.Event()

    def hold_the_lock():
        if scratch_database.startswith("sqlite"):
            holder = sqlite3.connect(scratch_database.removeprefix("sqlite:///"), isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            holder = psycopg.connect(scratch_database)
            holder.execute("SELECT 1 FROM core_changefeedcheckpoint FOR UPDATE")
            holder.execute("LOCK TABLE core_publicchange IN EXCLUSIVE MODE")
        release.wait(timeout=60)
        holder.rollback() if not scratch_database.startswith("sqlite") else holder.execute("ROLLBACK")
        holder.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    time.sleep(1)
    saver = subprocess.Popen(
        [sys.executable, "-c", SAVE],
        cwd=BASE_DIR,
        env=environment(scratch_database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)  # the save is now waiting for the lock (and on SQLite may give up)
    release.set()
    holder.join()
    out, err = saver.communicate(timeout=120)
    after = state(scratch_database)
    if saver.returncode == 0:
        assert after["title"] == "Saved while another writer held the lock"
        assert after["action"] == "upsert" and after["seq"] > before["latest"]
    else:
        assert saver.returncode == 3, out + err
        assert after == before


SCHEDULE = """
import datetime as dt, sys, django; django.setup()
from django.utils import timezone
from core.changes import changes_rebuild
from findings.models import Finding
finding = Finding.objects.order_by("pk").first()
Finding.objects.create(
    dialogue=finding.dialogue, title_en="Due in a moment", order=999, kind=finding.kind,
    perspective=finding.perspective, status="published",
    published_at=timezone.now() + dt.timedelta(seconds=float(sys.argv[1])),
)
changes_rebuild()
"""


def test_twenty_parallel_feed_reads_when_a_publication_comes_due_all_succeed(scratch_database):
    """Two gunicorn workers on the scratch database, rate limits counted in it as in production."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.support.servers import AppServer

    env = environment(scratch_database) | {"API_THROTTLE_ANON": "1000/minute", "DEBUG": "0"}
    server = AppServer(env, workers=2)
    try:
        assert server.get("/api/v1/changes/")[0] == 200
        run_python(scratch_database, SCHEDULE, "4")
        due = time.monotonic() + 4

        def read(_):
            time.sleep(max(0.0, due - time.monotonic()))
            return server.get("/api/v1/changes/")[0]

        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = list(pool.map(read, range(20)))
        assert statuses == [200] * 20, server.output()
    finally:
        server.stop()
