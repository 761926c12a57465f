"""Backup and restore of the whole corpus as one versioned archive (`export_corpus`, `import_corpus`).

The archive is a gzipped tar file:

- `manifest.json`: format version, creation time, application and Django versions, the database
  it came from, the migrations it was made at, whether password hashes are included, and the row
  count of every table;
- `data/NNN-<app>.<model>.json`: Django's JSON serialization of every row of every exported
  table, drafts and all, every language column, the change history tables, the partners' change
  feed, many-to-many link tables with their own ids, groups (by name, with their permissions),
  users and their group memberships, the admin's action log;
- `originals.json`: the raw column behind each translated field (`title` beside `title_en`,
  `title_fr`, `title_ko`: it holds whichever language was active at the save), which the ORM never
  shows and loaddata would refill.

Personal data that readers gave the site (alert subscribers: addresses, what they follow, the
digests sent to them; each app registers such models with `core.curation.register_personal_data`)
is left out unless asked for (`--include-personal-data`).

Password hashes and partner API key hashes are left out unless asked for (`--include-passwords`);
restored accounts then have unusable passwords (set new ones with `changepassword`). Two-step
devices, sessions and login-throttling records are never exported: staff enrol again.

Import restores into an empty, migrated database only, in one transaction, and checks every
table's row count against the manifest.
"""

import datetime
import io
import json
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.timezone import is_aware

from core.curation import curated_models, personal_data_models
from core.locking import original_translated_fields

FORMAT_VERSION = 1
NATURAL_KEY_MODELS = ("auth.Group",)  # matched by name with the groups migrations create
EMPTY_EXCEPT = frozenset({"auth.Group"})  # rows a fresh `migrate` already has


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            if isinstance(o, datetime.time) and is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    model: type
    fields: tuple[str, ...] | None  # None: every field

    @property
    def label(self) -> str:
        return self.model._meta.label


def _local_fields(model, *, drop: set[str]) -> tuple[str, ...]:
    names = [f.name for f in model._meta.local_fields if not f.primary_key and f.name not in drop]
    return tuple(names)


def exported_tables(*, include_passwords: bool, include_personal_data: bool = False) -> list[Table]:
    """What an archive holds, in load order (natural-key targets before their users)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    tables = [
        Table(apps.get_model("auth", "Group"), ("name", "permissions")),
        Table(user_model, _local_fields(user_model, drop=set())),
    ]
    content = [
        *curated_models(include_auto_created=True),
        *apps.get_app_config("core").get_models(include_auto_created=True),
    ]
    for model in content:
        if model._meta.proxy:
            continue
        # Many-to-many links travel as their own tables (with ids); original columns of
        # translated fields travel in originals.json.
        tables.append(Table(model, _local_fields(model, drop=original_translated_fields(model))))
    tables += [
        Table(user_model.groups.through, None),
        Table(user_model.user_permissions.through, None),
        Table(apps.get_model("admin", "LogEntry"), None),
    ]
    if include_passwords and apps.is_installed("rest_framework_api_key"):
        tables.append(Table(apps.get_model("rest_framework_api_key", "APIKey"), None))
    if include_personal_data:
        tables += [Table(model, _local_fields(model, drop=set())) for model in personal_data_models()]
    return tables


def app_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _queryset(table: Table, using: str):
    queryset = table.model._base_manager.using(using).order_by("pk")
    natural_fks = [
        f.name
        for f in table.model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and hasattr(f.related_model, "natural_key")
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    return queryset


def _originals(model, using: str) -> dict[str, dict[str, object]]:
    """pk -> {original column: raw value} for a translated model (read with plain SQL)."""
    names = sorted(original_translated_fields(model))
    if not names:
        return {}
    connection = connections[using]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in names]
    sql = "SELECT {}, {} FROM {} ORDER BY 1".format(
        quote(model._meta.pk.column), ", ".join(quote(c) for c in columns), quote(model._meta.db_table)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {str(row[0]): dict(zip(columns, row[1:], strict=True)) for row in cursor.fetchall()}


def corpus_export(
    *,
    path: Path,
    include_passwords: bool = False,
    include_personal_data: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> dict:
    """Write the archive to `path`; returns its manifest. Reads in one repeatable snapshot."""
    tables = exported_tables(include_passwords=include_passwords, include_personal_data=include_personal_data)
    counts: dict[str, int] = {}
    originals: dict[str, dict] = {}
    path = Path(path)
    connection = connections[using]
    fresh_transaction = not connection.in_atomic_block
    with tempfile.TemporaryDirectory(prefix="atlas-export-") as workdir, transaction.atomic(using=using):
        if connection.vendor == "postgresql" and fresh_transaction:
            # One consistent view of every table, however long the export takes.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        files = []
        for index, table in enumerate(tables):
            name = f"data/{index:03d}-{table.label}.json"
            target = Path(workdir) / f"{index:03d}.json"
            objects = _queryset(table, using)
            count = objects.count()
            options = {
                "fields": table.fields,
                "use_natural_foreign_keys": True,
                "use_natural_primary_keys": table.label in NATURAL_KEY_MODELS,
                "cls": ExactJSONEncoder,
            }
            with open(target, "w", encoding="utf-8") as handle:
                if table.model is apps.get_model(settings.AUTH_USER_MODEL) and not include_passwords:
                    # No password hash leaves the database unless asked for.
                    rows = json.loads(serializers.serialize("json", objects, **options))
                    for row in rows:
                        row["fields"]["password"] = make_password(None)
                    json.dump(rows, handle, ensure_ascii=False)
                else:
                    serializers.serialize(
                        "json",
                        objects.iterator(chunk_size=2000),
                        stream=handle,
                        ensure_ascii=False,
                        **options,
                    )
            counts[table.label] = count
            files.append((name, target))
            found = _originals(table.model, using)
            if found:
                originals[table.label] = found
        manifest = {
            "format": "dialogue-atlas-corpus",
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "app_version": app_version(),
            "django_version": django.get_version(),
            "database_vendor": connection.vendor,
            "include_passwords": include_passwords,
            "include_personal_data": include_personal_data,
            "migrations": _applied_migrations(using),
            "tables": [
                {"label": table.label, "file": name} for table, (name, _t) in zip(tables, files, strict=True)
            ],
            "counts": counts,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
            for name, target in files:
                archive.add(target, arcname=name)
            _add_bytes(archive, "originals.json", json.dumps(originals, ensure_ascii=False).encode())
        partial.replace(path)  # never leave a half-written archive under the final name
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError, AttributeError) as error:
        raise BackupError("This file is not a Dialogue Atlas corpus archive (no manifest.json).") from error
    if manifest.get("format") != "dialogue-atlas-corpus":
        raise BackupError("This file is not a Dialogue Atlas corpus archive.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This archive has format version {manifest.get('format_version')}; this version of "
            f"Dialogue Atlas reads format version {FORMAT_VERSION} only."
        )
    return manifest


def database_contents(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Row counts of the tables an import would fill, leaving out rows `migrate` creates."""
    found = {}
    for table in exported_tables(include_passwords=True, include_personal_data=True):
        if table.label in EMPTY_EXCEPT:
            continue
        count = table.model._base_manager.using(using).count()
        if count:
            found[table.label] = count
    return found


def corpus_import(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Restore the archive at `path` into this empty database; returns its manifest.

    Refuses (BackupError, nothing written) a database that already holds content or users, an
    archive of another format, or one made at migrations this database has not applied.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No archive at {path}.")
    try:
        archive = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path} is not a readable .tar.gz archive ({error}).") from error
    with archive, tempfile.TemporaryDirectory(prefix="atlas-import-") as workdir:
        manifest = read_manifest(archive)
        missing = {
            f"{app}.{name}"
            for app, names in manifest.get("migrations", {}).items()
            for name in names
            if name not in _applied_migrations(using).get(app, [])
        }
        if missing:
            raise BackupError(
                "This database is behind the archive: run `manage.py migrate` first. Missing: "
                + ", ".join(sorted(missing)[:10])
            )
        existing = database_contents(using=using)
        if existing:
            listed = ", ".join(f"{label} ({count})" for label, count in sorted(existing.items()))
            raise BackupError(
                "import_corpus restores into an empty database only, and this one already has rows: "
                f"{listed}. Restore into a new database (createdb, then manage.py migrate), or empty "
                "this one first (manage.py flush)."
            )
        fixtures = []
        for entry in manifest["tables"]:
            member = archive.getmember(entry["file"])
            if not member.isfile():
                raise BackupError(f"Damaged archive: {entry['file']} is not a file.")
            target = Path(workdir) / Path(entry["file"]).name
            target.write_bytes(archive.extractfile(member).read())
            fixtures.append((entry["label"], target))
        originals = json.load(archive.extractfile("originals.json"))

        with transaction.atomic(using=using):
            files = [str(target) for label, target in fixtures if manifest["counts"].get(label)]
            if files:
                call_command("loaddata", *files, database=using, verbosity=0)
            _restore_originals(originals, using)
            got = {label: apps.get_model(label)._base_manager.using(using).count() for label, _t in fixtures}
            expected = manifest["counts"]
            wrong = {
                label: (got[label], expected[label])
                for label in got
                if label not in EMPTY_EXCEPT and got[label] != expected[label]
            }
            if wrong:
                raise BackupError(f"Row counts differ after loading (got, expected): {wrong}")
        # Receivers of save signals (the partners' change feed) may write rows once the load
        # commits; the restored database holds exactly the archive, so those go again.
        _drop_rows_written_during_import(fixtures, manifest, using)
    return manifest


def _restore_originals(originals: dict, using: str) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label, rows in originals.items():
            model = apps.get_model(label)
            for pk, values in rows.items():
                columns = list(values)
                sql = "UPDATE {} SET {} WHERE {} = %s".format(
                    quote(model._meta.db_table),
                    ", ".join(f"{quote(column)} = %s" for column in columns),
                    quote(model._meta.pk.column),
                )
                cursor.execute(sql, [values[column] for column in columns] + [model._meta.pk.to_python(pk)])


def _drop_rows_written_during_import(fixtures, manifest, using: str) -> None:
    for label, target in fixtures:
        model = apps.get_model(label)
        if label in EMPTY_EXCEPT or not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            continue
        expected = manifest["counts"].get(label, 0)
        manager = model._base_manager.using(using)
        if manager.count() == expected:
            continue
        pks = [row["pk"] for row in json.loads(target.read_text(encoding="utf-8"))]
        manager.filter(pk__gt=max(pks, default=0)).delete()
