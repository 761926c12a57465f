"""Bulk snapshots: a zip that `frictionless validate` accepts, that holds exactly the public data in
lang=all, and from which a partner continues with the change feed (`after=<latest_seq>`)."""

import csv
import datetime as dt
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.services import record_publish, record_unpublish
from partners import services
from partners.models import Snapshot
from partners.snapshots import snapshot_build, snapshot_is_due
from tests.alerts.conftest import database_tasks, run_worker  # noqa: F401 - a fixture
from tests.dialogue.factories import ThemeFactory
from tests.findings.factories import FindingFactory
from tests.partners.fixtures import SECRET, World
from tests.partners.helpers import RESOURCES, api, every_page

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture
def snapshots_dir(settings, tmp_path):
    settings.SNAPSHOTS_DIR = tmp_path / "snapshots"
    settings.SITE_URL = "https://atlas.example.org"
    return settings.SNAPSHOTS_DIR


def public_data(client) -> dict:
    return {
        (resource, item["id"]): item
        for resource in RESOURCES
        for item in every_page(client, f"/api/v1/{resource}/", lang="all")
    }


def unpack(snapshot: Snapshot, directory: Path) -> dict:
    with zipfile.ZipFile(Path(snapshot_dir_of(snapshot))) as archive:
        archive.extractall(directory)
    return json.loads((directory / "datapackage.json").read_text())


def snapshot_dir_of(snapshot):
    from partners.snapshots import snapshot_path

    return snapshot_path(snapshot)


class SQLiteMirror:
    """A partner's copy in an empty SQLite database: loaded from a snapshot, kept up to date from
    the change feed after the snapshot's `latest_seq`."""

    def __init__(self, client, directory: Path, package: dict):
        self.client = client
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE TABLE record (type TEXT, id INTEGER, body TEXT, PRIMARY KEY (type, id))")
        for resource in package["resources"]:
            name = resource["name"]
            columns = [field["name"] for field in resource["schema"]["fields"]]
            self.db.execute(f'CREATE TABLE "{name}" ({", ".join(f"{c!r}" for c in columns)})')
            with (directory / resource["path"]).open(newline="", encoding="utf-8") as file:
                rows = list(csv.reader(file))
            assert rows[0] == columns
            self.db.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})', rows[1:])
            for line in (directory / "json" / f"{name}.jsonl").read_text().splitlines():
                item = json.loads(line)
                self.db.execute("INSERT INTO record VALUES (?, ?, ?)", (name, item["id"], line))
            (csv_count,) = self.db.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            (json_count,) = self.db.execute("SELECT count(*) FROM record WHERE type = ?", [name]).fetchone()
            assert csv_count == json_count
        self.after = package["latest_seq"]

    def sync(self) -> int:
        entries = every_page(self.client, "/api/v1/changes/", after=self.after)
        for entry in entries:
            if entry["action"] == "upsert":
                response = self.client.get(f"/api/v1/{entry['type']}/{entry['id']}/", {"lang": "all"})
                if response.status_code == 200:
                    self.db.execute(
                        "INSERT OR REPLACE INTO record VALUES (?, ?, ?)",
                        (entry["type"], entry["id"], response.content.decode()),
                    )
                    continue
                assert response.status_code == 404
            self.db.execute("DELETE FROM record WHERE type = ? AND id = ?", (entry["type"], entry["id"]))
        if entries:
            self.after = entries[-1]["seq"]
        return len(entries)

    def records(self) -> dict:
        return {(kind, pk): json.loads(body) for kind, pk, body in self.db.execute("SELECT * FROM record")}


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_validates_and_a_partner_continues_from_it_with_the_feed(client, snapshots_dir, tmp_path):
    world = World()
    snapshot = snapshot_build()
    directory = tmp_path / "unpacked"
    package = unpack(snapshot, directory)
    assert package["latest_seq"] == snapshot.sequence > 0
    assert {resource["name"] for resource in package["resources"]} == set(RESOURCES)

    # `frictionless validate`, the command partners run: zero errors (types, enums, keys).
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", str(directory / "datapackage.json")],
        capture_output=True,
        text=True,
        cwd=directory,
        timeout=120,
    )
    report = json.loads(result.stdout)
    errors = [error for task in report["tasks"] for error in task["errors"]] + report.get("errors", [])
    assert report["valid"] and not errors, errors[:5]

    # Only public records: no hidden text anywhere in the zip.
    with zipfile.ZipFile(snapshot_dir_of(snapshot)) as archive:
        for name in archive.namelist():
            assert SECRET not in archive.read(name).decode(), name

    mirror = SQLiteMirror(client, directory, package)
    assert mirror.records() == public_data(client)
    title_columns = [row[1] for row in mirror.db.execute("PRAGMA table_info(findings)")]
    assert {"title_en", "title_fr", "title_ko"} <= set(title_columns)

    # Ten edits, the partner continuing after the snapshot's position.
    theme = ThemeFactory(slug="added-after")
    edits = [
        lambda: FindingFactory(dialogue=world.dialogue, themes=[theme]),
        lambda: setattr(world.finding, "title_fr", "Titre revu") or world.finding.save(),
        lambda: record_unpublish(record=world.risk),
        lambda: record_publish(record=world.hidden_dialogue),
        lambda: setattr(theme, "name_ko", "새 주제") or theme.save(),
        lambda: world.recommendation.source_findings.remove(world.finding),
        lambda: record_unpublish(record=world.older_dialogue),
        lambda: setattr(world.person, "is_public", False) or world.person.save(),
        lambda: world.update.delete(),
        lambda: record_publish(record=world.hidden_organization),
    ]
    for edit in edits:
        edit()
    assert mirror.sync() > 0
    assert mirror.records() == public_data(client)


@pytest.mark.django_db(transaction=True)
def test_a_draft_never_appears_in_a_snapshot(client, snapshots_dir, tmp_path):
    draft = FindingFactory(draft=True, title_en="Draft finding title")
    public = FindingFactory(title_en="Public finding title")
    snapshot = snapshot_build()
    with zipfile.ZipFile(snapshot_dir_of(snapshot)) as archive:
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("findings.csv"), encoding="utf-8")))
        lines = archive.read("json/findings.jsonl").decode().splitlines()
    assert [int(row["id"]) for row in rows] == [public.pk]
    assert [json.loads(line)["id"] for line in lines] == [public.pk]
    assert draft.title_en not in archive_text(snapshot)


def archive_text(snapshot) -> str:
    with zipfile.ZipFile(snapshot_dir_of(snapshot)) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist())


@pytest.mark.django_db
def test_the_list_the_download_and_its_conditional_get(client, snapshots_dir):
    FindingFactory()
    first = snapshot_build(now=timezone.now() - dt.timedelta(hours=2))
    second = snapshot_build()
    listing = api(client, "/api/v1/snapshots/")
    assert [item["id"] for item in listing["results"]] == [second.pk, first.pk]  # latest first
    item = listing["results"][0]
    assert item["latest_seq"] == second.sequence and item["size"] == second.size
    assert item["sha256"] == second.sha256 and len(item["sha256"]) == 64
    assert item["url"] == f"https://atlas.example.org/api/v1/snapshots/{second.pk}/download/"
    assert api(client, "/api/v1/")["snapshots"] == "https://atlas.example.org/api/v1/snapshots/"

    response = client.get(f"/api/v1/snapshots/{second.pk}/download/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{second.name}"'
    assert "Content-Encoding" not in response  # a zip is not compressed again
    body = b"".join(response.streaming_content)
    assert len(body) == second.size
    import hashlib

    assert hashlib.sha256(body).hexdigest() == second.sha256
    assert response["ETag"] == f'"{second.sha256}"'
    assert response["Last-Modified"]
    again = client.get(
        f"/api/v1/snapshots/{second.pk}/download/", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304
    since = client.get(
        f"/api/v1/snapshots/{second.pk}/download/", headers={"If-Modified-Since": response["Last-Modified"]}
    )
    assert since.status_code == 304
    assert client.get("/api/v1/snapshots/999999/download/").status_code == 404


@pytest.mark.django_db
def test_old_snapshots_are_pruned_to_the_last_seven(snapshots_dir):
    FindingFactory()
    start = timezone.now() - dt.timedelta(days=1)
    built = [snapshot_build(now=start + dt.timedelta(hours=n)) for n in range(9)]
    kept = list(Snapshot.objects.values_list("pk", flat=True))
    assert kept == [snapshot.pk for snapshot in reversed(built[2:])]
    assert sorted(path.name for path in snapshots_dir.iterdir()) == sorted(s.name for s in built[2:])


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_a_snapshot_follows_a_change_at_most_once_an_hour(snapshots_dir, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    FindingFactory()
    assert services.snapshots_periodic() is True  # the scheduler queues the build
    assert Snapshot.objects.count() == 0
    run_worker()
    assert Snapshot.objects.count() == 1
    FindingFactory()
    # Changed, but the newest snapshot is less than an hour old.
    assert services.snapshots_periodic() is False
    time_machine.shift(dt.timedelta(minutes=59))
    assert services.snapshots_periodic() is False
    time_machine.shift(dt.timedelta(minutes=2))
    assert services.snapshots_periodic() is True
    run_worker()
    assert Snapshot.objects.count() == 2
    assert Snapshot.objects.first().sequence > Snapshot.objects.last().sequence
    time_machine.shift(dt.timedelta(hours=2))
    assert not snapshot_is_due()  # nothing changed since
    assert services.snapshots_periodic() is False


@pytest.mark.django_db
def test_the_command_builds_one(snapshots_dir, capsys):
    FindingFactory()
    call_command("build_snapshot")
    snapshot = Snapshot.objects.get()
    assert snapshot.name in capsys.readouterr().out
    assert (snapshots_dir / snapshot.name).exists()


@pytest.mark.django_db
def test_without_site_url_the_links_use_a_local_host_whatever_allowed_hosts_says(snapshots_dir, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["atlas.example.org"]
    finding = FindingFactory()
    snapshot = snapshot_build()
    with zipfile.ZipFile(snapshot_dir_of(snapshot)) as archive:
        (line,) = archive.read("json/findings.jsonl").decode().splitlines()
    assert json.loads(line)["url"] == f"http://localhost/api/v1/findings/{finding.pk}/"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_records_and_the_sequence_are_read_in_one_snapshot(snapshots_dir, monkeypatch):
    """REPEATABLE READ: a change committed while the zip is written is in neither the records nor
    `latest_seq`, so continuing after it from the feed applies it exactly once."""
    import threading

    from django.db import connection

    from partners import snapshots

    FindingFactory()
    seen = {}
    original = snapshots._write_resource

    def write_then_watch_a_commit(archive, resource, view):
        if resource == "findings" and not seen:
            with connection.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                seen["isolation"] = cursor.fetchone()[0]

            def commit_elsewhere():
                from django.db import connections

                late = FindingFactory(title_en="Committed while the snapshot was written")
                seen["late"] = late.pk
                connections.close_all()

            thread = threading.Thread(target=commit_elsewhere)
            thread.start()
            thread.join()
        return original(archive, resource, view)

    monkeypatch.setattr(snapshots, "_write_resource", write_then_watch_a_commit)
    snapshot = snapshot_build()
    assert seen["isolation"] == "repeatable read"
    with zipfile.ZipFile(snapshot_dir_of(snapshot)) as archive:
        ids = [json.loads(line)["id"] for line in archive.read("json/findings.jsonl").decode().splitlines()]
    assert seen["late"] not in ids
    from core.models import PublicChange

    late_entries = PublicChange.objects.filter(resource="findings", object_id=seen["late"])
    assert late_entries.exists() and all(entry.pk > snapshot.sequence for entry in late_entries)
