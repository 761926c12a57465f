"""Bulk snapshots: every public record in one zip, stamped with the change-feed position it holds.

A snapshot holds, per API resource, `<resource>.csv` (the API's CSV in `lang=all`: one column per
language) and `json/<resource>.jsonl` (one API record in `lang=all` per line), a Frictionless
`datapackage.json` (a table schema per CSV: types, required fields, enums, primary and foreign
keys) and a README. `latest_seq` in datapackage.json is the change feed's position the data
corresponds to: a partner loads the dump and continues with `/api/v1/changes/?after=<latest_seq>`.

The records and the position are read in one database snapshot (a REPEATABLE READ transaction on
PostgreSQL; on SQLite the transaction holds the write lock), so no change is both in the dump and
after its position, nor in neither. The records come from each resource's API viewset, so a
snapshot holds exactly what the API serves: public records only.
"""

import csv
import datetime
import hashlib
import io
import json
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from core.api.csv import csv_cell, csv_fields
from core.api.fields import ALL_LANGUAGES, ApiUrlField, CountryCodeField, TranslatedField, WebUrlField
from core.changes.log import latest_sequence
from core.models import PublicChange
from partners.models import Snapshot

logger = logging.getLogger(__name__)

CHUNK = 500
README = """Dialogue Atlas: a snapshot of the public data
==============================================

Made {created}, at position {sequence} of the change feed.

- <resource>.csv: one row per public record, as the API's CSV with lang=all (one column per
  language: title_en, title_fr, title_ko). References to other records are their slug (or id);
  lists of references are joined with "|".
- json/<resource>.jsonl: the same records as JSON Lines, exactly as /api/v1/<resource>/<id>/?lang=all
  serves them (translated texts as {{"en", "fr", "ko"}} objects, null where untranslated).
- datapackage.json: a Frictionless Data Package describing the CSV files (validate it with
  `frictionless validate datapackage.json`); "latest_seq" is the feed position.

To stay up to date, read the change feed from this position on:

    GET /api/v1/changes/?after={sequence}

and apply each entry in order: upsert = fetch /api/v1/<type>/<id>/ again, remove = delete your
copy. Keep the `seq` of the last entry applied and continue with after=<that seq>.
"""


def _snapshot_request() -> Request:
    """A GET in `lang=all` on SITE_URL's host (links in the dump point at the public site)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/api/v1/"
    # Links use SITE_URL when set (set it in production); else this host, which is not checked
    # against ALLOWED_HOSTS since no client sent it.
    request.get_host = lambda: "localhost"
    request.api_language = ALL_LANGUAGES
    request.LANGUAGE_CODE = settings.LANGUAGE_CODE
    return Request(request)


def snapshot_viewsets() -> list[tuple[str, type]]:
    """(resource, viewset) for every resource the API lists, in the router's order."""
    from partners.urls import router  # the router is assembled with the URLs

    resources = set(_followed_resources())
    return [(prefix, viewset) for prefix, viewset, _basename in router.registry if prefix in resources]


def _followed_resources():
    from core.changes import RESOURCES

    return RESOURCES


def _viewset(viewset_class, request):
    view = viewset_class()
    view.request = request
    view.action = "list"
    view.format_kwarg = None
    view.args, view.kwargs = (), {}
    return view


# --- Table schemas ----------------------------------------------------------------------------


def _reference_target(field) -> tuple[str, str] | None:
    """(resource, key column) a reference field points to: the target's slug, else its id."""
    child = field.child if isinstance(field, serializers.ListSerializer) else field
    url = child.fields.get("url")
    if not isinstance(url, ApiUrlField):
        return None
    return url.resource, "slug" if "slug" in child.fields else "id"


def _table_field(header: str, field) -> dict:
    """A Frictionless table-schema field for one CSV column."""
    description = str(field.help_text or "") if getattr(field, "help_text", None) else ""
    spec: dict = {"name": header, "type": "string"}
    if isinstance(field, TranslatedField):
        pass
    elif isinstance(field, WebUrlField | ApiUrlField | serializers.URLField):
        spec["format"] = "uri"
    elif isinstance(field, serializers.BooleanField):
        spec.update(type="boolean", trueValues=["true"], falseValues=["false"])
    elif isinstance(field, serializers.IntegerField):
        spec["type"] = "integer"
    elif isinstance(field, serializers.DecimalField | serializers.FloatField):
        spec["type"] = "number"
    elif isinstance(field, serializers.DateTimeField):
        spec["type"] = "datetime"
    elif isinstance(field, serializers.DateField):
        spec["type"] = "date"
    elif isinstance(field, serializers.ChoiceField):
        spec["constraints"] = {"enum": [str(choice) for choice in field.choices]}
        if not field.allow_null and not field.allow_blank:
            spec["constraints"]["required"] = True
    elif isinstance(field, CountryCodeField):
        spec["constraints"] = {"pattern": "[A-Z]{2}"}
    elif isinstance(field, serializers.BaseSerializer):
        target = _reference_target(field)
        if target and target[1] == "id" and not isinstance(field, serializers.ListSerializer):
            spec["type"] = "integer"
    if header == "id":
        spec["constraints"] = {"required": True, "unique": True}
    if description:
        spec["description"] = description
    return spec


def table_schema(resource: str, serializer, available: set[str]) -> dict:
    """The table schema of a resource's CSV: a field per column, `id` as primary key, and a
    foreign key for each single reference to a resource in the package."""
    fields = []
    foreign_keys = []
    for header, _getter, field in csv_fields(serializer, all_languages=True):
        fields.append(_table_field(header, field))
        if isinstance(field, serializers.BaseSerializer) and not isinstance(
            field, serializers.ListSerializer
        ):
            target = _reference_target(field)
            if target and target[0] in available:
                foreign_keys.append(
                    {
                        "fields": header,
                        "reference": {
                            "resource": "" if target[0] == resource else target[0],
                            "fields": target[1],
                        },
                    }
                )
    schema = {"fields": fields, "primaryKey": ["id"]}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


# --- Building ---------------------------------------------------------------------------------


def _write_resource(archive: zipfile.ZipFile, resource: str, view) -> int:
    """Write the resource's CSV and JSON Lines; returns the number of records. (A zip takes one
    member at a time: the JSON Lines wait in a temporary file while the CSV is written.)"""
    serializer = view.get_serializer()
    columns = csv_fields(serializer, all_languages=True)
    count = 0
    with tempfile.TemporaryFile() as json_file:
        with archive.open(f"{resource}.csv", "w") as csv_file:
            text = io.TextIOWrapper(csv_file, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow([header for header, _getter, _field in columns])
            chunk = []

            def flush(records):
                view.prepare_records(records)
                for item in view.get_serializer(records, many=True).data:
                    writer.writerow([csv_cell(getter(item)) for _header, getter, _field in columns])
                    line = json.dumps(item, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
                    json_file.write(line.encode() + b"\n")

            for record in view.get_queryset().order_by("pk").iterator(chunk_size=CHUNK):
                chunk.append(record)
                count += 1
                if len(chunk) == CHUNK:
                    flush(chunk)
                    chunk = []
            if chunk:
                flush(chunk)
            text.flush()
            text.detach()
        json_file.seek(0)
        with archive.open(f"json/{resource}.jsonl", "w") as member:
            shutil.copyfileobj(json_file, member)
    return count


def _read_consistently():
    """A transaction in which every read sees one state of the database (see the module
    docstring). Inside an enclosing transaction (tests) that transaction's view is used."""
    nested = connection.in_atomic_block
    atomic = transaction.atomic()
    atomic.__enter__()
    if connection.vendor == "postgresql" and not nested:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    return atomic


def snapshot_write(path: Path, *, now: datetime.datetime) -> tuple[int, dict[str, int]]:
    """Write a snapshot zip at `path`; returns (feed sequence, record count per resource)."""
    request = _snapshot_request()
    viewsets = snapshot_viewsets()
    available = {resource for resource, _viewset in viewsets}
    counts: dict[str, int] = {}
    resources = []
    atomic = _read_consistently()
    try:
        with (
            translation.override(settings.LANGUAGE_CODE),
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            # Read in the same database snapshot as the records (not memoized).
            sequence = PublicChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for resource, viewset_class in viewsets:
                view = _viewset(viewset_class, request)
                counts[resource] = _write_resource(archive, resource, view)
                resources.append(
                    {
                        "name": resource,
                        "path": f"{resource}.csv",
                        "profile": "tabular-data-resource",
                        "format": "csv",
                        "mediatype": "text/csv",
                        "encoding": "utf-8",
                        "schema": table_schema(resource, view.get_serializer(), available),
                    }
                )
            package = {
                "profile": "tabular-data-package",
                "name": "dialogue-atlas",
                "title": "Dialogue Atlas: public data",
                "created": now.isoformat(),
                "latest_seq": sequence,
                "description": (
                    "Every public record of the Dialogue Atlas API in lang=all. JSON Lines copies are "
                    "in json/. Continue with /api/v1/changes/?after=latest_seq."
                ),
                "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
                "resources": resources,
            }
            archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
            archive.writestr("README.txt", README.format(created=now.isoformat(), sequence=sequence))
    finally:
        atomic.__exit__(None, None, None)
    return sequence, counts


def snapshot_dir() -> Path:
    return Path(settings.SNAPSHOTS_DIR)


def snapshot_path(snapshot: Snapshot) -> Path:
    """Where a snapshot's zip lies."""
    return snapshot_dir() / snapshot.name


def snapshot_build(*, now=None) -> Snapshot:
    """Build a snapshot of the public data now, record it and prune the old ones."""
    now = now or timezone.now()
    directory = snapshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".building-{now:%Y%m%dT%H%M%S%f}.zip"
    try:
        sequence, counts = snapshot_write(partial, now=now)
        digest = hashlib.sha256()
        with partial.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
        name = f"atlas-{now:%Y%m%dT%H%M%SZ}-seq{sequence}.zip"
        partial.replace(directory / name)  # a reader never sees half a file
    finally:
        partial.unlink(missing_ok=True)
    snapshot = Snapshot.objects.create(
        name=name,
        sequence=sequence,
        size=(directory / name).stat().st_size,
        sha256=digest.hexdigest(),
        created_at=now,
    )
    logger.info("snapshot %s: sequence %s, %s", name, sequence, counts)
    snapshots_prune()
    return snapshot


def snapshots_prune(*, keep: int | None = None) -> int:
    """Delete all but the newest `keep` snapshots (SNAPSHOTS_KEEP), files and rows; returns how many."""
    keep = settings.SNAPSHOTS_KEEP if keep is None else keep
    old = list(Snapshot.objects.order_by("-created_at", "-pk")[keep:])
    for snapshot in old:
        snapshot_path(snapshot).unlink(missing_ok=True)
        snapshot.delete()
    return len(old)


def snapshot_is_due(*, now=None) -> bool:
    """Public data changed since the newest snapshot, and that one is older than SNAPSHOT_INTERVAL
    seconds (or there is none yet)."""
    now = now or timezone.now()
    newest = Snapshot.objects.order_by("-created_at", "-pk").first()
    if newest is None:
        return True
    if newest.created_at > now - datetime.timedelta(seconds=settings.SNAPSHOT_INTERVAL):
        return False
    return latest_sequence() > newest.sequence


def snapshot_list_public():
    """The snapshots partners may download, newest first."""
    return Snapshot.objects.order_by("-created_at", "-pk")
