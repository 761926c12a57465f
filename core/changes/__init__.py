"""The partners' change feed: a log of what entered, changed in or left the public set.

Partners replay `/api/v1/changes/` in sequence order (`seq`; `after=<seq>` continues from a
position) to keep a copy of the public data: `upsert` means "fetch this record again", `remove`
means "delete your copy". Entries are written in the transaction of the change they record, so a
committed change always has its entry and a rolled-back one never does; one writer at a time
holds the log until it commits, so sequence numbers become visible in order. A record keeps only
its newest entry, so a replay from empty reads one entry per record. The log is written by:

- signals on every followed model (save, delete, many-to-many changes), as the write happens:
  `log.record()` asks the very selectors the API uses whether each record is public now, compares
  with what partners held before the transaction, and writes, revises or withdraws the record's
  one entry of this transaction: an `upsert` (public, and changed or newly public) or a `remove`
  (was public, is not any more). Every record whose entry changed then touches its dependants, the
  records whose payload embeds it (a dialogue's findings and recommendations, a theme's
  findings, ...);
- `publish_due()` (`manage.py publish_due`, every minute from cron or `make run`): rows whose
  scheduled `published_at` has come since the last run, and rows added in bulk;
- `changes_rebuild()` (`manage.py changes_rebuild`): compares every record with the log, for
  data written around the signals (bulk updates, raw SQL, restores).

Reading the feed writes nothing. Each app registers its resources and what embeds what from its
`AppConfig.ready()` (`register_resource`, ...), so the kernel names no app. `resources` holds
that registry, `log` decides and writes the entries, `signals` notes what each write touched.
"""

from core.changes.log import (
    change_list_public,
    changes_rebuild,
    latest_sequence,
    public_queryset,
    publish_due,
    record_versions,
    writing_public_changes,
)
from core.changes.resources import (
    RESOURCES,
    register_dependant,
    register_embedded_row,
    register_m2m,
    register_parent_link,
    register_resource,
)
from core.changes.signals import changes_record, connect_signals

__all__ = [
    "RESOURCES",
    "change_list_public",
    "changes_rebuild",
    "publish_due",
    "changes_record",
    "latest_sequence",
    "connect_signals",
    "public_queryset",
    "record_versions",
    "writing_public_changes",
    "register_dependant",
    "register_embedded_row",
    "register_m2m",
    "register_parent_link",
    "register_resource",
]
