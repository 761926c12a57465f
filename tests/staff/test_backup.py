"""Backup and restore: export_corpus / import_corpus reproduce every row."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone, translation

from core.models import PublicChange
from findings.models import Finding
from staff.backup import exported_tables
from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    DialogueOrganizerFactory,
    MilestoneFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory
from tests.stakeholders.factories import OrganizationFactory
from tests.support.servers import copy_test_schema

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus(make_staff):
    """A small corpus that uses every kind of row an archive must carry."""
    theme = ThemeFactory(name_ko="에너지")
    draft_theme = ThemeFactory(draft=True)
    dialogue = DialogueFactory(summary_fr="Résumé", context_ko="맥락 **굵게**")
    dialogue.themes.set([theme])
    draft_dialogue = DialogueFactory(draft=True)
    SessionFactory(dialogue=dialogue).themes.set([theme, draft_theme])
    participation = ParticipationFactory(dialogue=dialogue)
    participation.person.internal_notes = "Private note"
    participation.person.save()
    DialogueDocumentFactory(dialogue=dialogue)
    DialogueOrganizerFactory(dialogue=dialogue)
    MilestoneFactory(series=dialogue.series)
    finding = FindingFactory(dialogue=dialogue, body_ko="본문")
    finding.themes.set([theme])
    FindingFactory(dialogue=draft_dialogue, draft=True, title_fr="Brouillon")
    organization = OrganizationFactory()
    recommendation = RecommendationFactory(dialogue=dialogue)
    recommendation.source_findings.set([finding])
    recommendation.addressee_organizations.set([organization])
    recommendation.addressee_countries = ["CA", "KR"]
    recommendation.save()
    RecommendationUpdateFactory(recommendation=recommendation, note_fr="Note")
    # History: an edit saved under French (the raw `title` column then holds French), a deletion.
    with translation.override("fr"):
        edited = Finding.objects.get(pk=finding.pk)
        edited.title_fr = "Titre modifié"
        edited.save()
    FindingFactory(dialogue=dialogue, draft=True).delete()
    editor = make_staff("ed", "Editor")
    make_staff("tr", "Translator")
    make_staff("both", "Analyst").groups.add(Group.objects.get(name="Translator"))
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Finding),
        object_id=str(finding.pk),
        object_repr=str(finding)[:200],
        action_flag=CHANGE,
        change_message="[]",
    )
    PublicChange.objects.create(
        resource="findings", object_id=finding.pk, action="upsert", changed_at=timezone.now()
    )
    return {"finding": finding, "editor": editor}


def db_tables() -> list[str]:
    return sorted({table.model._meta.db_table for table in exported_tables(include_passwords=True)})


def table_rows(cursor, table: str) -> list[tuple]:
    quoted = connection.ops.quote_name(table)
    cursor.execute(f"SELECT * FROM {quoted}")
    # Sorted whole rows: the first column is not unique in history tables (it is the record id).
    return sorted((tuple(row) for row in cursor.fetchall()), key=repr)


def snapshot() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        return {table: table_rows(cursor, table) for table in db_tables()}


def archive_members(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers()}


@pytest.mark.django_db
def test_the_archive_is_versioned_and_holds_no_password_hash_unless_asked(corpus, tmp_path):
    out = io.StringIO()
    call_command("export_corpus", str(tmp_path / "atlas.tar.gz"), stdout=out)
    assert "Password hashes were left out" in out.getvalue()
    members = archive_members(tmp_path / "atlas.tar.gz")
    manifest = json.loads(members["manifest.json"])
    assert manifest["format_version"] == 1 and manifest["format"] == "dialogue-atlas-corpus"
    assert manifest["app_version"] == "0.1.0" and manifest["created_at"]
    assert manifest["counts"]["findings.Finding"] == Finding.objects.count() == 2
    assert manifest["counts"]["findings.HistoricalFinding"] >= 5  # created, edited, deleted
    assert manifest["counts"]["auth.User_groups"] == 4
    assert not manifest["include_passwords"]
    everything = b"".join(members.values())
    hashes = [user.password.encode() for user in get_user_model().objects.all()]
    assert hashes and not any(digest in everything for digest in hashes)
    assert b"Private note" in everything  # private fields are backed up (the archive is staff-only)
    users = json.loads(next(v for k, v in members.items() if k.endswith("auth.User.json")))
    assert all(row["fields"]["password"].startswith("!") for row in users)

    call_command("export_corpus", str(tmp_path / "full.tar.gz"), "--include-passwords", stdout=io.StringIO())
    everything = b"".join(archive_members(tmp_path / "full.tar.gz").values())
    assert all(digest in everything for digest in hashes)


@pytest.mark.django_db
def test_export_then_import_restores_every_row_exactly(corpus, tmp_path):
    """On the test database itself: export, empty every exported table, import, compare."""
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 60
    call_command("export_corpus", str(tmp_path / "atlas.tar.gz"), "--include-passwords", stdout=io.StringIO())
    with connection.cursor() as cursor:
        for table in db_tables():
            if table != "auth_group":  # as after `migrate`: the groups exist, with their permissions
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    assert not Finding.objects.exists()
    call_command("import_corpus", str(tmp_path / "atlas.tar.gz"), stdout=io.StringIO())
    after = snapshot()
    for table in db_tables():
        assert after[table] == before[table], table
    # The sequences moved past the restored ids: new rows do not collide.
    assert FindingFactory().pk > max(row[0] for row in before["findings_finding"])


@pytest.mark.django_db
def test_import_refuses_a_database_that_is_not_empty(corpus, tmp_path):
    call_command("export_corpus", str(tmp_path / "atlas.tar.gz"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="restores into an empty database only") as refused:
        call_command("import_corpus", str(tmp_path / "atlas.tar.gz"), stdout=io.StringIO())
    assert "findings.Finding (2)" in str(refused.value)
    assert Finding.objects.count() == 2


@pytest.mark.django_db
def test_import_refuses_what_is_not_an_archive(tmp_path):
    with pytest.raises(CommandError, match="No archive"):
        call_command("import_corpus", str(tmp_path / "missing.tar.gz"))
    (tmp_path / "text.tar.gz").write_text("not an archive")
    with pytest.raises(CommandError, match="not a readable"):
        call_command("import_corpus", str(tmp_path / "text.tar.gz"))
    future = tmp_path / "future.tar.gz"
    with tarfile.open(future, "w:gz") as archive:
        data = json.dumps({"format": "dialogue-atlas-corpus", "format_version": 99}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="format version 99"):
        call_command("import_corpus", str(future))


@pytest.mark.postgres
@pytest.mark.django_db
def test_round_trip_into_an_empty_postgresql_database(corpus, tmp_path):
    """Export here, import into a brand-new database by the command line, compare every row."""
    archive = tmp_path / "atlas.tar.gz"
    call_command("export_corpus", str(archive), "--include-passwords", stdout=io.StringIO())
    source = snapshot()

    settings_dict = connection.settings_dict
    host, port = settings_dict.get("HOST") or "127.0.0.1", int(settings_dict.get("PORT") or 5432)
    target = f"atlas_restore_{uuid.uuid4().hex[:10]}"
    copy_test_schema(target_url_parts={"host": host, "port": port}, dbname=target)
    user = settings_dict.get("USER") or "postgres"
    url = f"postgres://{user}@{host}:{port}/{target}"
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
        result = subprocess.run(
            [sys.executable, "manage.py", "import_corpus", str(archive)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Restored" in result.stdout
        with psycopg.connect(host=host, port=port, user=user, dbname=target) as restored:
            with restored.cursor() as cursor:
                for table in db_tables():
                    assert table_rows(cursor, table) == source[table], table

        # A second import into the now full database is refused, with the reason.
        again = subprocess.run(
            [sys.executable, "manage.py", "import_corpus", str(archive)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert again.returncode != 0 and "empty database only" in again.stderr
    finally:
        with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
